"""Drives Lambkin's SSM Parameter Store with boto3: put/get with versions, by-path paginator, describe filters, history, tags, errors."""
import sys

import boto3
from checks import check

endpoint = sys.argv[1]
ssm = boto3.client("ssm", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")

check(ssm.put_parameter(Name="/py/app/db", Value="one", Type="String")["Version"] == 1)
check(ssm.put_parameter(Name="/py/app/db", Value="two", Overwrite=True)["Version"] == 2)
check(ssm.get_parameter(Name="/py/app/db")["Parameter"]["Value"] == "two")
check(ssm.get_parameter(Name="/py/app/db:1")["Parameter"]["Selector"] == ":1")
for i in range(12):
    ssm.put_parameter(Name=f"/py/app/items/i{i:02d}", Value=str(i), Type="String")
ssm.put_parameter(Name="/py/app/secret", Value="s3cr3t", Type="SecureString")

pages = ssm.get_paginator("get_parameters_by_path").paginate(Path="/py/app", Recursive=True, PaginationConfig={"PageSize": 5})
names = [p["Name"] for page in pages for p in page["Parameters"]]
check(len(names) == 14 and names == sorted(names), names)
one_level = ssm.get_parameters_by_path(Path="/py/app")["Parameters"]
check({p["Name"] for p in one_level} == {"/py/app/db", "/py/app/secret"}, one_level)

described = ssm.get_paginator("describe_parameters").paginate(
    ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}, {"Key": "Path", "Option": "Recursive", "Values": ["/py"]}]
).build_full_result()["Parameters"]
check([p["Name"] for p in described] == ["/py/app/secret"] and described[0]["KeyId"] == "alias/aws/ssm", described)

history = ssm.get_parameter_history(Name="/py/app/db")["Parameters"]
check([h["Value"] for h in history] == ["one", "two"], history)

try:
    ssm.get_parameter(Name="/py/missing")
    raise AssertionError("missing parameter found")
except ssm.exceptions.ParameterNotFound as e:
    check(e.response["Error"]["Code"] == "ParameterNotFound", e.response)

try:
    ssm.put_parameter(Name="/py/app/db", Value="three", Type="String")
    raise AssertionError("overwrote without Overwrite")
except ssm.exceptions.ParameterAlreadyExists as e:
    check("set the overwrite option" in e.response["Error"]["Message"], e.response)

ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/py/app/db", Tags=[{"Key": "team", "Value": "core"}])
check(ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/py/app/db")["TagList"] == [{"Key": "team", "Value": "core"}])
deleted = ssm.delete_parameters(Names=["/py/app/db", "/py/nope"])
check(deleted["DeletedParameters"] == ["/py/app/db"] and deleted["InvalidParameters"] == ["/py/nope"], deleted)
print("OK")
