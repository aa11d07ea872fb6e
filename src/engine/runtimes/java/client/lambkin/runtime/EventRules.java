package lambkin.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How AWS's serializer (aws-lambda-java-serialization's LambdaEventSerializers) reads the
 * aws-lambda-java-events classes it knows, where plain bean mapping would not: JSON names its
 * Jackson mixins give properties ("Records" for setRecords, "detail-type", DynamoDB's "S", "N",
 * "NewImage"…), java.util.Date as epoch seconds, Joda DateTime through DateTime.parse, and S3
 * events through their constructors (S3EventReader). Active only when the handler's declared
 * type is one of those events, as AWS picks that serializer by the declared type; any other type
 * (APIGatewayV2HTTPEvent among them) maps as a plain bean.
 */
final class EventRules {
    private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";

    private static final Set<String> SUPPORTED = Set.of(
            EVENTS + "APIGatewayProxyRequestEvent", EVENTS + "APIGatewayProxyResponseEvent",
            EVENTS + "CloudFormationCustomResourceEvent", EVENTS + "CloudFrontEvent", EVENTS + "CloudWatchLogsEvent",
            EVENTS + "CodeCommitEvent", EVENTS + "CognitoEvent", EVENTS + "ConfigEvent", EVENTS + "ConnectEvent",
            EVENTS + "DynamodbEvent", EVENTS + "DynamodbTimeWindowEvent", EVENTS + "IoTButtonEvent",
            EVENTS + "KinesisEvent", EVENTS + "KinesisTimeWindowEvent", EVENTS + "KinesisFirehoseEvent",
            EVENTS + "LambdaDestinationEvent", EVENTS + "LexEvent", EVENTS + "ScheduledEvent",
            EVENTS + "SecretsManagerRotationEvent", EVENTS + "S3Event", EVENTS + "SNSEvent", EVENTS + "SQSEvent",
            "com.amazonaws.services.s3.event.S3EventNotification", EVENTS + "models.s3.S3EventNotification");

    /** Per class: JSON name → bean property, where the mixins rename one. */
    private static final Map<String, Map<String, String>> RENAMES = new HashMap<>();

    static {
        rename(EVENTS + "SQSEvent", "Records", "records");
        rename(EVENTS + "SQSEvent$SQSMessage", "eventSourceARN", "eventSourceArn");
        rename(EVENTS + "KinesisEvent", "Records", "records");
        rename(EVENTS + "DynamodbEvent", "Records", "records");
        rename(EVENTS + "DynamodbTimeWindowEvent", "Records", "records");
        rename(EVENTS + "ScheduledEvent", "detail-type", "detailType");
        for (String streamRecord : new String[] {EVENTS + "models.dynamodb.StreamRecord", "com.amazonaws.services.dynamodbv2.model.StreamRecord"}) {
            for (String name : new String[] {"Keys", "SizeBytes", "SequenceNumber", "StreamViewType", "NewImage", "OldImage", "ApproximateCreationDateTime"}) {
                rename(streamRecord, name, JsonMapper.propertyName(name));
            }
        }
        // java.beans naming already reads "SS", "NS", "BS", "NULL" and "BOOL"; single letters it lowers.
        for (String attributeValue : new String[] {EVENTS + "models.dynamodb.AttributeValue", "com.amazonaws.services.dynamodbv2.model.AttributeValue"}) {
            for (String name : new String[] {"S", "N", "B", "M", "L"}) rename(attributeValue, name, name.toLowerCase());
        }
    }

    private static void rename(String className, String json, String property) {
        RENAMES.computeIfAbsent(className, k -> new HashMap<>()).put(json, property);
    }

    private EventRules() {
    }

    static boolean isSupportedEvent(Class<?> c) {
        return SUPPORTED.contains(c.getName());
    }

    static boolean isS3Event(Class<?> c) {
        String name = c.getName();
        return name.equals(EVENTS + "S3Event") || name.endsWith(".S3EventNotification");
    }

    /** The bean property a JSON member of an object of class `c` sets. */
    static String propertyOf(Class<?> c, String json) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            Map<String, String> renames = RENAMES.get(k.getName());
            if (renames != null && renames.containsKey(json)) return renames.get(json);
        }
        return json;
    }

    /** The JSON name a bean property of class `c` is written under. */
    static String jsonNameOf(Class<?> c, String property) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            Map<String, String> renames = RENAMES.get(k.getName());
            if (renames == null) continue;
            for (Map.Entry<String, String> e : renames.entrySet()) if (e.getValue().equals(property)) return e.getKey();
        }
        return property;
    }

    static boolean isJodaDateTime(Class<?> c) {
        return c.getName().equals("org.joda.time.DateTime");
    }
}
