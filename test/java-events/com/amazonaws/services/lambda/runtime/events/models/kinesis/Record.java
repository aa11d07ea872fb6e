package com.amazonaws.services.lambda.runtime.events.models.kinesis;

import java.nio.ByteBuffer;
import java.util.Date;

public class Record {
    private String sequenceNumber;
    private Date approximateArrivalTimestamp;
    private ByteBuffer data;
    private String partitionKey;
    private String encryptionType;

    public void setSequenceNumber(String sequenceNumber) { this.sequenceNumber = sequenceNumber; }
    public String getSequenceNumber() { return sequenceNumber; }
    public void setApproximateArrivalTimestamp(Date approximateArrivalTimestamp) { this.approximateArrivalTimestamp = approximateArrivalTimestamp; }
    public Date getApproximateArrivalTimestamp() { return approximateArrivalTimestamp; }
    public void setData(ByteBuffer data) { this.data = data; }
    public ByteBuffer getData() { return data; }
    public void setPartitionKey(String partitionKey) { this.partitionKey = partitionKey; }
    public String getPartitionKey() { return partitionKey; }
    public void setEncryptionType(String encryptionType) { this.encryptionType = encryptionType; }
    public void setEncryptionType(EncryptionType encryptionType) { this.encryptionType = encryptionType.toString(); }
    public String getEncryptionType() { return encryptionType; }
}
