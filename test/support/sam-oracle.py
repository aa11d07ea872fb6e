"""Translate SAM templates with AWS's samtranslator (the oracle for Lambkin's SAM transform).

Reads a JSON object {"templates": {name: template}, "region": ..., "accountId": ..., "stackName": ...}
on stdin and writes {name: {"ok": template} | {"error": message}} on stdout. Needs no AWS access:
managed policy names resolve through a fixed map and the session is faked.
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402  (samtranslator imports boto3; region must be set first)
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402

MANAGED = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AmazonS3ReadOnlyAccess": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "AmazonDynamoDBFullAccess": "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
    "AmazonSQSFullAccess": "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "CloudWatchLogsFullAccess": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
}


class FixedPolicyLoader:
    def load(self):
        return MANAGED


def main():
    request = json.load(sys.stdin)
    region = request.get("region", "us-east-1")
    os.environ["AWS_DEFAULT_REGION"] = region
    from samtranslator.translator.arn_generator import ArnGenerator
    from samtranslator.intrinsics.resolver import IntrinsicsResolver  # noqa: F401

    ArnGenerator.BOTO_SESSION_REGION_NAME = region
    out = {}
    for name, template in request["templates"].items():
        try:
            out[name] = {"ok": transform(template, {}, FixedPolicyLoader())}
        except InvalidDocumentException as error:
            out[name] = {"error": " ".join(e.message for e in error.causes) or error.message}
        except Exception as error:  # noqa: BLE001 - report any translator failure per template
            out[name] = {"error": f"{type(error).__name__}: {error}"}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
