package com.amazonaws.services.lambda.runtime.events;

import java.util.List;

public class KinesisEvent {
    private List<KinesisEventRecord> records;

    public static class Record extends com.amazonaws.services.lambda.runtime.events.models.kinesis.Record {
        private String kinesisSchemaVersion;

        public String getKinesisSchemaVersion() { return kinesisSchemaVersion; }
        public void setKinesisSchemaVersion(String kinesisSchemaVersion) { this.kinesisSchemaVersion = kinesisSchemaVersion; }
    }

    public static class KinesisEventRecord {
        private String eventSource;
        private Record kinesis;
        private String eventID;
        private String invokeIdentityArn;
        private String eventName;
        private String eventVersion;
        private String eventSourceARN;
        private String awsRegion;

        public String getEventSource() { return eventSource; }
        public void setEventSource(String eventSource) { this.eventSource = eventSource; }
        public Record getKinesis() { return kinesis; }
        public void setKinesis(Record kinesis) { this.kinesis = kinesis; }
        public String getEventID() { return eventID; }
        public void setEventID(String eventID) { this.eventID = eventID; }
        public String getInvokeIdentityArn() { return invokeIdentityArn; }
        public void setInvokeIdentityArn(String invokeIdentityArn) { this.invokeIdentityArn = invokeIdentityArn; }
        public String getEventName() { return eventName; }
        public void setEventName(String eventName) { this.eventName = eventName; }
        public String getEventVersion() { return eventVersion; }
        public void setEventVersion(String eventVersion) { this.eventVersion = eventVersion; }
        public String getEventSourceARN() { return eventSourceARN; }
        public void setEventSourceARN(String eventSourceARN) { this.eventSourceARN = eventSourceARN; }
        public String getAwsRegion() { return awsRegion; }
        public void setAwsRegion(String awsRegion) { this.awsRegion = awsRegion; }
    }

    public List<KinesisEventRecord> getRecords() { return records; }
    public void setRecords(List<KinesisEventRecord> records) { this.records = records; }
}
