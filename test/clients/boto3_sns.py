"""Drives Lambkin's SNS with boto3 (botocore's query serializer and XML parser). Prints OK."""
import json
import sys

import boto3
from botocore.exceptions import ClientError
from checks import check

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
        check(err["Code"] == code, err)
        check(err.get("Type") == "Sender", err)
        if message is not None:
            check(err["Message"] == message, err)
        if status is not None:
            check(e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response)
        return
    raise AssertionError(f"expected {code}")


arn = sns.create_topic(Name="boto", Attributes={"DisplayName": "Boto"}, Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
check(arn == "arn:aws:sns:us-east-1:000000000000:boto", arn)
check(sns.create_topic(Name="boto")["TopicArn"] == arn)
attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
check(attrs["DisplayName"] == "Boto" and attrs["SubscriptionsConfirmed"] == "0", attrs)
sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="B2")
check(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "B2")

fifo = sns.create_topic(Name="boto.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
r = sns.publish(TopicArn=fifo, Message="m", MessageGroupId="g")
check(len(r["SequenceNumber"]) == 20, r)

topics = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
check(arn in topics and fifo in topics, topics)

sub = sns.subscribe(
    TopicArn=arn,
    Protocol="sqs",
    Endpoint="arn:aws:sqs:us-east-1:000000000000:q",
    Attributes={"RawMessageDelivery": "true", "FilterPolicy": json.dumps({"a": ["b"]})},
    ReturnSubscriptionArn=True,
)["SubscriptionArn"]
sa = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
check(sa["RawMessageDelivery"] == "true" and sa["FilterPolicyScope"] == "MessageAttributes", sa)
sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
subs = [s["SubscriptionArn"] for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn) for s in page["Subscriptions"]]
check(subs == [sub], subs)
check(sub in [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]])

mid = sns.publish(
    TopicArn=arn,
    Message=json.dumps({"default": "d", "sqs": "q"}),
    MessageStructure="json",
    Subject="s",
    MessageAttributes={"n": {"DataType": "Number", "StringValue": "1"}, "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}},
)["MessageId"]
check(len(mid) == 36)
batch = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[{"Id": "1", "Message": "a"}, {"Id": "2", "Message": ""}])
check([s["Id"] for s in batch["Successful"]] == ["1"], batch)
check(batch["Failed"] == [{"Id": "2", "Code": "InvalidParameter", "Message": "Invalid parameter: Empty message", "SenderFault": True}], batch)

sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "x", "Value": "y"}])
sns.untag_resource(ResourceArn=arn, TagKeys=["k"])
check(sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "x", "Value": "y"}])

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
