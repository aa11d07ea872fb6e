package com.amazonaws.services.lambda.runtime.events.models.dynamodb;

public enum StreamViewType { NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY }
