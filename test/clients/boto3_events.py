"""Drives the EventBridge API with boto3 against a Lambkin endpoint; prints OK when every check passes."""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from checks import check

endpoint = sys.argv[1]
events = boto3.client(
    "events",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=Config(retries={"max_attempts": 1}),
)


def expect_error(call, code, message):
    try:
        call()
    except ClientError as e:
        check(e.response["Error"]["Code"] == code, e.response)
        check(e.response["Error"]["Message"] == message, e.response["Error"]["Message"])
        check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400)
        return
    raise AssertionError(f"expected {code}")


bus = events.create_event_bus(Name="boto-bus")
check(bus["EventBusArn"].endswith(":event-bus/boto-bus"))
rule = events.put_rule(Name="boto-rule", EventBusName="boto-bus", EventPattern=json.dumps({"source": [{"prefix": "boto"}]}))
check(rule["RuleArn"].endswith(":rule/boto-bus/boto-rule"), rule)
for i in range(3):
    events.put_rule(Name=f"boto-page-{i}", ScheduleExpression="rate(1 hour)")
pages = list(events.get_paginator("list_rules").paginate(NamePrefix="boto-page-", PaginationConfig={"PageSize": 2}))
check([r["Name"] for p in pages for r in p["Rules"]] == ["boto-page-0", "boto-page-1", "boto-page-2"], pages)
check(len(pages) == 2)
described = events.describe_rule(Name="boto-page-0")
check(described["ScheduleExpression"] == "rate(1 hour)" and described["State"] == "ENABLED")

put = events.put_targets(
    Rule="boto-rule",
    EventBusName="boto-bus",
    Targets=[{"Id": "t1", "Arn": "arn:aws:sqs:us-east-1:000000000000:q", "InputTransformer": {"InputPathsMap": {"s": "$.source"}, "InputTemplate": '{"src": <s>}'}}],
)
check(put["FailedEntryCount"] == 0)
targets = events.list_targets_by_rule(Rule="boto-rule", EventBusName="boto-bus")["Targets"]
check(targets[0]["InputTransformer"]["InputTemplate"] == '{"src": <s>}')

res = events.put_events(Entries=[
    {"Source": "boto.app", "DetailType": "Thing", "Detail": json.dumps({"a": 1}), "EventBusName": "boto-bus"},
    {"Source": "boto.app", "DetailType": "Thing", "Detail": "not json"},
])
check(res["FailedEntryCount"] == 1, res)
check("EventId" in res["Entries"][0])
check(res["Entries"][1] == {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."})

event = json.dumps({"id": "1", "source": "boto.app", "detail-type": "Thing", "account": "000000000000", "region": "us-east-1", "time": "2026-01-01T00:00:00Z", "resources": [], "detail": {"ip": "10.0.0.7"}})
check(events.test_event_pattern(EventPattern=json.dumps({"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}), Event=event)["Result"] is True)
check(events.test_event_pattern(EventPattern=json.dumps({"detail": {"ip": [{"anything-but": {"prefix": "10."}}]}}), Event=event)["Result"] is False)

expect_error(lambda: events.put_rule(Name="bad", ScheduleExpression="cron(0 1 * * * *)"), "ValidationException", "Parameter ScheduleExpression is not valid.")
expect_error(lambda: events.put_rule(Name="bad", EventPattern='{"a": [{"wildcard": "x**"}]}'), "InvalidEventPatternException", "Event pattern is not valid. Reason: Consecutive wildcard characters at pos 2")
expect_error(lambda: events.describe_rule(Name="nope"), "ResourceNotFoundException", "Rule nope does not exist on EventBus default.")
expect_error(lambda: events.delete_rule(Name="boto-rule", EventBusName="boto-bus"), "ValidationException", "Rule can't be deleted since it has targets.")

events.remove_targets(Rule="boto-rule", EventBusName="boto-bus", Ids=["t1"])
events.delete_rule(Name="boto-rule", EventBusName="boto-bus")
events.delete_event_bus(Name="boto-bus")
expect_error(lambda: events.describe_event_bus(Name="boto-bus"), "ResourceNotFoundException", "Event bus boto-bus does not exist.")
print("OK")
