package com.amazonaws.services.lambda.runtime.events.models.dynamodb;

import java.util.Date;
import java.util.Map;

public class StreamRecord {
    private Date approximateCreationDateTime;
    private Map<String, AttributeValue> keys;
    private Map<String, AttributeValue> newImage;
    private Map<String, AttributeValue> oldImage;
    private String sequenceNumber;
    private Long sizeBytes;
    private String streamViewType;

    public void setApproximateCreationDateTime(Date approximateCreationDateTime) { this.approximateCreationDateTime = approximateCreationDateTime; }
    public Date getApproximateCreationDateTime() { return approximateCreationDateTime; }
    public Map<String, AttributeValue> getKeys() { return keys; }
    public void setKeys(Map<String, AttributeValue> keys) { this.keys = keys; }
    public Map<String, AttributeValue> getNewImage() { return newImage; }
    public void setNewImage(Map<String, AttributeValue> newImage) { this.newImage = newImage; }
    public Map<String, AttributeValue> getOldImage() { return oldImage; }
    public void setOldImage(Map<String, AttributeValue> oldImage) { this.oldImage = oldImage; }
    public void setSequenceNumber(String sequenceNumber) { this.sequenceNumber = sequenceNumber; }
    public String getSequenceNumber() { return sequenceNumber; }
    public void setSizeBytes(Long sizeBytes) { this.sizeBytes = sizeBytes; }
    public Long getSizeBytes() { return sizeBytes; }
    public void setStreamViewType(String streamViewType) { this.streamViewType = streamViewType; }
    public String getStreamViewType() { return streamViewType; }
    public void setStreamViewType(StreamViewType streamViewType) { this.streamViewType = streamViewType.toString(); }
}
