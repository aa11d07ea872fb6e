package com.amazonaws.services.lambda.runtime.events.models.kinesis;

public enum EncryptionType { NONE, KMS }
