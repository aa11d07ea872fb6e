package org.joda.time;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Stand-in for Joda-Time's DateTime: parse(String) (what AWS's serializer calls) and the instant. */
public class DateTime {
    private final Instant instant;

    public DateTime(long millis) {
        this.instant = Instant.ofEpochMilli(millis);
    }

    public static DateTime parse(String text) {
        return new DateTime(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    }

    public long getMillis() {
        return instant.toEpochMilli();
    }

    @Override
    public String toString() {
        return instant.toString();
    }
}
