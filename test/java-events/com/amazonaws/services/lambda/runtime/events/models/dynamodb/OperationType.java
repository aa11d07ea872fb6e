package com.amazonaws.services.lambda.runtime.events.models.dynamodb;

public enum OperationType { INSERT, MODIFY, REMOVE }
