package com.amazonaws.services.lambda.runtime.events;

import java.util.List;

public class DynamodbEvent {
    private List<DynamodbStreamRecord> records;

    public static class DynamodbStreamRecord extends com.amazonaws.services.lambda.runtime.events.models.dynamodb.Record {
        private String eventSourceARN;

        public String getEventSourceARN() { return eventSourceARN; }
        public void setEventSourceARN(String eventSourceARN) { this.eventSourceARN = eventSourceARN; }
    }

    public List<DynamodbStreamRecord> getRecords() { return records; }
    public void setRecords(List<DynamodbStreamRecord> records) { this.records = records; }
}
