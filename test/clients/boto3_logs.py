"""Drives Lambkin's CloudWatch Logs with boto3: groups, streams, events, paginators, filters, errors, tags, Insights."""
import sys
import time

import boto3
from checks import check

endpoint = sys.argv[1]
client = boto3.client("logs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")

for i in range(3):
    client.create_log_group(logGroupName=f"/py/g{i}", tags={"n": str(i)})
try:
    client.create_log_group(logGroupName="/py/g0")
    raise AssertionError("duplicate group created")
except client.exceptions.ResourceAlreadyExistsException as e:
    check(e.response["Error"]["Message"] == "The specified log group already exists", e.response)

groups = client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix="/py/", PaginationConfig={"PageSize": 1}).build_full_result()["logGroups"]
check([g["logGroupName"] for g in groups] == ["/py/g0", "/py/g1", "/py/g2"], groups)

client.create_log_stream(logGroupName="/py/g0", logStreamName="s1")
client.create_log_stream(logGroupName="/py/g0", logStreamName="s2")
now = int(time.time() * 1000)
for stream in ("s1", "s2"):
    client.put_log_events(logGroupName="/py/g0", logStreamName=stream, logEvents=[{"timestamp": now + i, "message": f"{stream} line {i} {'ERROR' if i % 2 else 'ok'}"} for i in range(6)])

events = client.get_paginator("filter_log_events").paginate(logGroupName="/py/g0", filterPattern="ERROR", PaginationConfig={"PageSize": 2}).build_full_result()["events"]
check(len(events) == 6 and all("ERROR" in e["message"] for e in events), events)
check({e["logStreamName"] for e in events} == {"s1", "s2"}, events)

got = client.get_log_events(logGroupName="/py/g0", logStreamName="s1", startFromHead=True, limit=4)
check([e["message"] for e in got["events"]] == [f"s1 line {i} {'ERROR' if i % 2 else 'ok'}" for i in range(4)], got)
more = client.get_log_events(logGroupName="/py/g0", logStreamName="s1", nextToken=got["nextForwardToken"])
check(len(more["events"]) == 2, more)

streams = client.describe_log_streams(logGroupName="/py/g0", orderBy="LastEventTime", descending=True)["logStreams"]
check(sorted(s["logStreamName"] for s in streams) == ["s1", "s2"], streams)

try:
    client.get_log_events(logGroupName="/py/absent", logStreamName="s")
    raise AssertionError("absent group read")
except client.exceptions.ResourceNotFoundException as e:
    check(e.response["Error"]["Message"] == "The specified log group does not exist.", e.response)
try:
    client.filter_log_events(logGroupName="/py/g0", filterPattern="{ $.a = ")
    raise AssertionError("bad pattern accepted")
except client.exceptions.InvalidParameterException:
    pass

client.put_retention_policy(logGroupName="/py/g1", retentionInDays=7)
check(client.describe_log_groups(logGroupNamePrefix="/py/g1")["logGroups"][0]["retentionInDays"] == 7)
client.tag_log_group(logGroupName="/py/g1", tags={"team": "x"})
check(client.list_tags_log_group(logGroupName="/py/g1")["tags"] == {"n": "1", "team": "x"})

query = client.start_query(logGroupName="/py/g0", startTime=now // 1000 - 60, endTime=now // 1000 + 60, queryString="filter @message like /ERROR/ | stats count(*) as n by @logStream | sort @logStream")
for _ in range(100):
    result = client.get_query_results(queryId=query["queryId"])
    if result["status"] == "Complete":
        break
    time.sleep(0.05)
rows = [{f["field"]: f["value"] for f in row} for row in result["results"]]
check(rows == [{"@logStream": "s1", "n": "3"}, {"@logStream": "s2", "n": "3"}], rows)

client.delete_log_group(logGroupName="/py/g2")
check([g["logGroupName"] for g in client.describe_log_groups(logGroupNamePrefix="/py/")["logGroups"]] == ["/py/g0", "/py/g1"])
print("OK")
