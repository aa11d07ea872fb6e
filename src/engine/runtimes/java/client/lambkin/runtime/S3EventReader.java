package lambkin.runtime;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S3 events as AWS's S3EventSerializer reads them: not by setters (the classes have none) but by
 * constructors, with org.json's lenient reads: a missing string member is "", a missing number 0,
 * a missing object an empty one. The classes are the function's own: S3EventNotification's
 * nested entities from aws-lambda-java-events 3 (models.s3), else the SDK v1 ones it replaced.
 */
final class S3EventReader {
    private static final String[] BASES = {
        "com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification",
        "com.amazonaws.services.s3.event.S3EventNotification",
    };

    private S3EventReader() {
    }

    static Object read(Object value, Class<?> eventClass) throws Exception {
        Map<String, Object> json = object(value);
        ClassLoader loader = eventClass.getClassLoader();
        Exception first = null;
        for (String base : BASES) {
            try {
                List<Object> records = new ArrayList<>();
                Object list = json.get("Records");
                if (list instanceof List) for (Object item : (List<?>) list) records.add(record(object(item), base, loader));
                return construct(eventClass, new Class<?>[] {List.class}, records);
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                if (first == null) first = e;
            }
        }
        throw first;
    }

    private static Object record(Map<String, Object> json, String base, ClassLoader loader) throws Exception {
        Class<?> recordClass = Class.forName(base + "$S3EventNotificationRecord", true, loader);
        Class<?> entity = Class.forName(base + "$S3Entity", true, loader);
        Class<?> bucket = Class.forName(base + "$S3BucketEntity", true, loader);
        Class<?> object = Class.forName(base + "$S3ObjectEntity", true, loader);
        Class<?> request = Class.forName(base + "$RequestParametersEntity", true, loader);
        Class<?> response = Class.forName(base + "$ResponseElementsEntity", true, loader);
        Class<?> identity = Class.forName(base + "$UserIdentityEntity", true, loader);

        Map<String, Object> s3 = object(json.get("s3"));
        Map<String, Object> b = object(s3.get("bucket"));
        Object ownerIdentity = construct(identity, new Class<?>[] {String.class}, text(object(b.get("ownerIdentity")), "principalId"));
        Object bucketEntity = construct(bucket, new Class<?>[] {String.class, identity, String.class}, text(b, "name"), ownerIdentity, text(b, "arn"));
        Map<String, Object> o = object(s3.get("object"));
        Object objectEntity;
        try {
            objectEntity = construct(object, new Class<?>[] {String.class, Long.class, String.class, String.class, String.class},
                    text(o, "key"), number(o, "size"), text(o, "eTag"), text(o, "versionId"), text(o, "sequencer"));
        } catch (NoSuchMethodException e) {
            // The SDK v1 model has no sequencer.
            objectEntity = construct(object, new Class<?>[] {String.class, Long.class, String.class, String.class},
                    text(o, "key"), number(o, "size"), text(o, "eTag"), text(o, "versionId"));
        }
        Object s3Entity = construct(entity, new Class<?>[] {String.class, bucket, object, String.class},
                text(s3, "configurationId"), bucketEntity, objectEntity, text(s3, "s3SchemaVersion"));
        Map<String, Object> responseJson = object(json.get("responseElements"));
        Object requestParameters = construct(request, new Class<?>[] {String.class}, text(object(json.get("requestParameters")), "sourceIPAddress"));
        Object responseElements = construct(response, new Class<?>[] {String.class, String.class}, text(responseJson, "x-amz-id-2"), text(responseJson, "x-amz-request-id"));
        Object userIdentity = construct(identity, new Class<?>[] {String.class}, text(object(json.get("userIdentity")), "principalId"));
        return construct(recordClass,
                new Class<?>[] {String.class, String.class, String.class, String.class, String.class, request, response, entity, identity},
                text(json, "awsRegion"), text(json, "eventName"), text(json, "eventSource"), text(json, "eventTime"), text(json, "eventVersion"),
                requestParameters, responseElements, s3Entity, userIdentity);
    }

    private static Object construct(Class<?> c, Class<?>[] types, Object... args) throws Exception {
        Constructor<?> constructor = c.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    /** org.json's optString: "" when absent or null, the value's text otherwise. */
    private static String text(Map<String, Object> json, String key) {
        Object value = json.get(key);
        return value == null ? "" : value.toString();
    }

    /** org.json's optLong: 0 when absent or not a number. */
    private static Long number(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (value instanceof Number) return ((Number) value).longValue();
        if (value instanceof String) {
            try {
                return new java.math.BigDecimal(((String) value).trim()).longValue();
            } catch (NumberFormatException e) {
                return 0L;
            }
        }
        return 0L;
    }
}
