"""Drives Lambkin's SNS with boto3 (botocore's query serializer and XML parser). Prints OK."""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
sns = boto3.client(
    "sns",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
)


def expect_error(fn, code, message=None, status=None):
    try:
        fn()
    except ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == code, err
        assert err.get("Type") == "Sender", err
        if message is not None:
            assert err["Message"] == message, err
        if status is not None:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response
        return
    raise AssertionError(f"expected {code}")


arn = sns.create_topic(Name="boto", Attributes={"DisplayName": "Boto"}, Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
assert arn == "arn:aws:sns:us-east-1:000000000000:boto", arn
assert sns.create_topic(Name="boto")["TopicArn"] == arn
attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
assert attrs["DisplayName"] == "Boto" and attrs["SubscriptionsConfirmed"] == "0", attrs
sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="B2")
assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "B2"

fifo = sns.create_topic(Name="boto.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
r = sns.publish(TopicArn=fifo, Message="m", MessageGroupId="g")
assert len(r["SequenceNumber"]) == 20, r

topics = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
assert arn in topics and fifo in topics, topics

sub = sns.subscribe(
    TopicArn=arn,
    Protocol="sqs",
    Endpoint="arn:aws:sqs:us-east-1:000000000000:q",
    Attributes={"RawMessageDelivery": "true", "FilterPolicy": json.dumps({"a": ["b"]})},
    ReturnSubscriptionArn=True,
)["SubscriptionArn"]
sa = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
assert sa["RawMessageDelivery"] == "true" and sa["FilterPolicyScope"] == "MessageAttributes", sa
sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
subs = [s["SubscriptionArn"] for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn) for s in page["Subscriptions"]]
assert subs == [sub], subs
assert sub in [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]]

mid = sns.publish(
    TopicArn=arn,
    Message=json.dumps({"default": "d", "sqs": "q"}),
    MessageStructure="json",
    Subject="s",
    MessageAttributes={"n": {"DataType": "Number", "StringValue": "1"}, "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}},
)["MessageId"]
assert len(mid) == 36
batch = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[{"Id": "1", "Message": "a"}, {"Id": "2", "Message": ""}])
assert [s["Id"] for s in batch["Successful"]] == ["1"], batch
assert batch["Failed"] == [{"Id": "2", "Code": "InvalidParameter", "Message": "Invalid parameter: Empty message", "SenderFault": True}], batch

sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "x", "Value": "y"}])
sns.untag_resource(ResourceArn=arn, TagKeys=["k"])
assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "x", "Value": "y"}]

expect_error(lambda: sns.get_topic_attributes(TopicArn=arn + "-nope"), "NotFound", "Topic does not exist", 404)
expect_error(lambda: sns.publish(TopicArn=arn, Message=""), "InvalidParameter", "Invalid parameter: Empty message", 400)
expect_error(
    lambda: sns.subscribe(TopicArn=arn, Protocol="smoke-signal", Endpoint="x"),
    "InvalidParameter",
    "Invalid parameter: Amazon SNS does not support this protocol string: smoke-signal",
)
expect_error(lambda: sns.get_subscription_attributes(SubscriptionArn=arn + ":00000000-0000-0000-0000-000000000000"), "NotFound", "Subscription does not exist", 404)
expect_error(lambda: sns.publish(TopicArn=arn, Message="x", MessageAttributes={"a": {"DataType": "String", "StringValue": ""}}), "ParameterValueInvalid")

sns.unsubscribe(SubscriptionArn=sub)
sns.delete_topic(TopicArn=arn)
expect_error(lambda: sns.get_topic_attributes(TopicArn=arn), "NotFound")
print("OK")
