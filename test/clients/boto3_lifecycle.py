"""Drives a Lambkin endpoint through the function lifecycle with boto3, an independent client.

Usage: python3 boto3_lifecycle.py <endpoint-url>. Prints OK when every assertion held.
"""
import io
import json
import sys
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from checks import check

ROLE = "arn:aws:iam::000000000000:role/lambda-role"
ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:"
WAIT = {"Delay": 1, "MaxAttempts": 30}


def make_zip(source):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", source)
    return buf.getvalue()


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    raise AssertionError(f"{call.__name__} succeeded but should have failed")


def main(endpoint):
    client = boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    code = make_zip("def handler(event, context):\n    return {'ok': True}\n")
    names = ["boto-a", "boto-b"]

    for name in names:
        created = client.create_function(
            FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="index.handler", Code={"ZipFile": code}
        )
        check(created["ResponseMetadata"]["HTTPStatusCode"] == 201, created)
        check(created["FunctionArn"] == ARN_PREFIX + name, created)
        check(created["State"] == "Pending", created)
        client.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig=WAIT)

    got = client.get_function(FunctionName="boto-a")
    check(got["Configuration"]["State"] == "Active", got)
    check(got["Configuration"]["LastUpdateStatus"] == "Successful", got)
    check(got["Code"]["RepositoryType"] == "S3", got)

    # One function per page exercises Marker/NextMarker through botocore's paginator.
    seen = []
    pages = 0
    for page in client.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 1}):
        pages += 1
        seen.extend(f["FunctionName"] for f in page["Functions"])
    check(sorted(seen) == names, seen)
    check(pages >= 2, pages)

    updated = client.update_function_configuration(
        FunctionName="boto-a", Timeout=30, MemorySize=256, Environment={"Variables": {"MODE": "boto3"}}
    )
    check(updated["Timeout"] == 30 and updated["MemorySize"] == 256, updated)
    check(updated["LastUpdateStatus"] == "InProgress", updated)
    client.get_waiter("function_updated_v2").wait(FunctionName="boto-a", WaiterConfig=WAIT)
    config = client.get_function_configuration(FunctionName="boto-a")
    check(config["LastUpdateStatus"] == "Successful", config)
    check(config["Environment"] == {"Variables": {"MODE": "boto3"}}, config)

    published = client.publish_version(FunctionName="boto-a", Description="v1")
    check(published["Version"] == "1", published)
    check(published["FunctionArn"] == ARN_PREFIX + "boto-a:1", published)
    versions = client.list_versions_by_function(FunctionName="boto-a")["Versions"]
    check([v["Version"] for v in versions] == ["$LATEST", "1"], versions)

    alias = client.create_alias(FunctionName="boto-a", Name="prod", FunctionVersion="1")
    check(alias["AliasArn"] == ARN_PREFIX + "boto-a:prod", alias)
    check(client.get_alias(FunctionName="boto-a", Name="prod")["FunctionVersion"] == "1")
    aliases = client.list_aliases(FunctionName="boto-a")["Aliases"]
    check([a["Name"] for a in aliases] == ["prod"], aliases)

    added = client.add_permission(
        FunctionName="boto-a",
        StatementId="boto-sns",
        Action="lambda:InvokeFunction",
        Principal="sns.amazonaws.com",
        Qualifier="prod",
    )
    statement = json.loads(added["Statement"])
    check(statement["Sid"] == "boto-sns", statement)
    check(statement["Resource"] == ARN_PREFIX + "boto-a:prod", statement)
    policy = json.loads(client.get_policy(FunctionName="boto-a", Qualifier="prod")["Policy"])
    check([s["Sid"] for s in policy["Statement"]] == ["boto-sns"], policy)
    # The unqualified function has no policy of its own.
    check(error_code(client.get_policy, FunctionName="boto-a")[0] == "ResourceNotFoundException")
    client.remove_permission(FunctionName="boto-a", StatementId="boto-sns", Qualifier="prod")

    client.delete_alias(FunctionName="boto-a", Name="prod")
    for name in names:
        client.delete_function(FunctionName=name)
    code_, message = error_code(client.get_function, FunctionName="boto-a")
    check(code_ == "ResourceNotFoundException", code_)
    check(message == "Function not found: " + ARN_PREFIX + "boto-a", message)
    check(client.list_functions()["Functions"] == [])

    print("OK")


if __name__ == "__main__":
    main(sys.argv[1])
