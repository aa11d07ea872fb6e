"""Drives Lambkin's DynamoDB with boto3: the client (waiters, paginators, errors) and the resource (Table, Key/Attr conditions, batch_writer)."""
import sys
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from checks import check

endpoint = sys.argv[1]
options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
client = boto3.client("dynamodb", **options)
resource = boto3.resource("dynamodb", **options)

table = resource.create_table(
    TableName="py-scores",
    KeySchema=[{"AttributeName": "player", "KeyType": "HASH"}, {"AttributeName": "game", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "player", "AttributeType": "S"}, {"AttributeName": "game", "AttributeType": "N"}],
    BillingMode="PAY_PER_REQUEST",
)
table.wait_until_exists()
table.reload()
check(table.table_status == "ACTIVE", table.table_status)

with table.batch_writer() as batch:
    for game in range(30):
        batch.put_item(Item={"player": "ada", "game": game, "score": Decimal(game * 10), "tags": {"x", "y"} if game % 2 else {"x"}})
    batch.put_item(Item={"player": "bob", "game": 1, "score": Decimal("12.5")})

got = table.get_item(Key={"player": "bob", "game": 1})["Item"]
check(got["score"] == Decimal("12.5"), got)

hits = table.query(KeyConditionExpression=Key("player").eq("ada") & Key("game").between(10, 14), FilterExpression=Attr("tags").contains("y"))
check([int(i["game"]) for i in hits["Items"]] == [11, 13], hits)

table.update_item(Key={"player": "ada", "game": 0}, UpdateExpression="ADD score :d", ExpressionAttributeValues={":d": 5})
check(table.get_item(Key={"player": "ada", "game": 0})["Item"]["score"] == 5)

try:
    table.put_item(Item={"player": "ada", "game": 0}, ConditionExpression=Attr("player").not_exists())
    raise AssertionError("conditional put succeeded")
except client.exceptions.ConditionalCheckFailedException as err:
    check(err.response["Error"]["Message"] == "The conditional request failed", err.response)

pages = client.get_paginator("query").paginate(
    TableName="py-scores", KeyConditionExpression="player = :p", ExpressionAttributeValues={":p": {"S": "ada"}}, PaginationConfig={"PageSize": 7}
)
check(sum(page["Count"] for page in pages) == 30)

scanned = client.get_paginator("scan").paginate(TableName="py-scores", PaginationConfig={"PageSize": 4}).build_full_result()
check(len(scanned["Items"]) == 31, len(scanned["Items"]))

try:
    client.describe_table(TableName="absent-table")
    raise AssertionError("absent table described")
except client.exceptions.ResourceNotFoundException as err:
    check(err.response["Error"]["Message"] == "Requested resource not found: Table: absent-table not found", err.response)

check("py-scores" in client.list_tables()["TableNames"])
table.delete()
client.get_waiter("table_not_exists").wait(TableName="py-scores", WaiterConfig={"Delay": 1, "MaxAttempts": 20})
print("OK")
