"""Drives Lambkin's Kinesis with boto3: create, wait, put, read, reshard, paginate, tag, delete."""
import sys

import boto3
from checks import check

endpoint = sys.argv[1]
client = boto3.client("kinesis", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")

client.create_stream(StreamName="py", ShardCount=2)
client.get_waiter("stream_exists").wait(StreamName="py", WaiterConfig={"Delay": 1, "MaxAttempts": 20})
put = client.put_records(StreamName="py", Records=[{"Data": f"r{i}".encode(), "PartitionKey": f"k{i}"} for i in range(10)])
check(put["FailedRecordCount"] == 0, put)

seen = []
for shard in client.get_paginator("list_shards").paginate(StreamName="py").build_full_result()["Shards"]:
    it = client.get_shard_iterator(StreamName="py", ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    out = client.get_records(ShardIterator=it)
    seen += [r["Data"].decode() for r in out["Records"]]
    check(all(r["ApproximateArrivalTimestamp"].year >= 2020 for r in out["Records"]))
check(sorted(seen) == sorted(f"r{i}" for i in range(10)), seen)

described = client.get_paginator("describe_stream").paginate(StreamName="py", PaginationConfig={"PageSize": 1}).build_full_result()
check(len(described["StreamDescription"]["Shards"]) == 2, described)

client.add_tags_to_stream(StreamName="py", Tags={"a": "1"})
check(client.list_tags_for_stream(StreamName="py")["Tags"] == [{"Key": "a", "Value": "1"}])
try:
    client.describe_stream(StreamName="absent")
    raise AssertionError("absent stream described")
except client.exceptions.ResourceNotFoundException as err:
    check("Stream absent under account" in str(err), err)

client.delete_stream(StreamName="py")
client.get_waiter("stream_not_exists").wait(StreamName="py", WaiterConfig={"Delay": 1, "MaxAttempts": 20})
print("OK")
