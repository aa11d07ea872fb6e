package com.amazonaws.services.lambda.runtime.events.models.dynamodb;

public class Record {
    private String eventID;
    private String eventName;
    private String eventVersion;
    private String eventSource;
    private String awsRegion;
    private StreamRecord dynamodb;

    public void setEventID(String eventID) { this.eventID = eventID; }
    public String getEventID() { return eventID; }
    public void setEventName(OperationType eventName) { this.eventName = eventName.toString(); }
    public void setEventName(String eventName) { this.eventName = eventName; }
    public String getEventName() { return eventName; }
    public void setEventVersion(String eventVersion) { this.eventVersion = eventVersion; }
    public String getEventVersion() { return eventVersion; }
    public void setEventSource(String eventSource) { this.eventSource = eventSource; }
    public String getEventSource() { return eventSource; }
    public void setAwsRegion(String awsRegion) { this.awsRegion = awsRegion; }
    public String getAwsRegion() { return awsRegion; }
    public void setDynamodb(StreamRecord dynamodb) { this.dynamodb = dynamodb; }
    public StreamRecord getDynamodb() { return dynamodb; }
}
