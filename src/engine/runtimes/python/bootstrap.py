"""Lambkin's Python runtime client: runs in the function's process.

Talks Runtime API 2018-06-01 at $AWS_LAMBDA_RUNTIME_API and calls `_HANDLER` (module.function)
from $LAMBDA_TASK_ROOT. Standard library only.
"""
import importlib
import json
import logging
import os
import site
import socket
import sys
import time
import traceback
from datetime import datetime, timezone


def _receive_assignment():
    """A spare environment starts before any function is assigned to it (a cold start then skips
    the interpreter's own start): it learns its function's variables from the Runtime API before it
    reads any of them. The server answers once it has put the function's code at /var/task."""
    import http.client

    host, port = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port))
    connection.request("GET", "/2018-06-01/runtime/lambkin/assignment")
    reply = connection.getresponse()
    body = reply.read()
    connection.close()
    if reply.status != 200:
        raise SystemExit("no assignment: %d %s" % (reply.status, body.decode("utf-8", "replace")))
    del os.environ["LAMBKIN_SPARE"]
    os.environ.update(json.loads(body))
    time.tzset()


if os.environ.get("LAMBKIN_SPARE") == "1":
    _receive_assignment()

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
HOST, PORT = API.rsplit(":", 1)
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
HANDLER = os.environ.get("_HANDLER", "")
# LoggingConfig.LogFormat JSON: the logging module writes JSON objects; print() stays plain text.
JSON_LOGS = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"

class _RuntimeConnection:
    """The runtime's Runtime API calls on one socket, pipelined: the answer to an event and
    the poll for the next one leave in one send and reach the server in one read. HTTP/1.1 answers
    in order, so replies are read in the order the calls were sent. Lambkin's Runtime API gives
    every reply a Content-Length."""

    def __init__(self):
        self._sock = None
        # A bytearray grows in place: a large event arrives in many chunks.
        self._buffered = bytearray()

    def send(self, method, path, body=None, headers=None):
        if self._sock is None:
            self._sock = socket.create_connection((HOST, int(PORT)))
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = body.encode("utf-8") if isinstance(body, str) else body
        head = "%s /2018-06-01%s HTTP/1.1\r\nHost: %s\r\n" % (method, path, API)
        for name, value in (headers or {}).items():
            head += "%s: %s\r\n" % (name, value)
        if data is not None:
            head += "Content-Length: %d\r\n" % len(data)
        self._sock.sendall((head + "\r\n").encode("latin-1") + (data or b""))

    def reply(self):
        """(status, headers with lower-case names, body) of the oldest call not yet read."""
        while b"\r\n\r\n" not in self._buffered:
            self._fill()
        head_end = self._buffered.index(b"\r\n\r\n")
        lines = self._buffered[:head_end].decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        start = head_end + 4
        length = int(headers.get("content-length", "0"))
        have = len(self._buffered) - start
        if have >= length:
            body = bytes(self._buffered[start:start + length])
            del self._buffered[:start + length]
            return status, headers, body
        # A large event: the rest is received straight into its place, nothing past its end.
        body = bytearray(length)
        body[:have] = self._buffered[start:]
        self._buffered = bytearray()
        view = memoryview(body)
        while have < length:
            n = self._sock.recv_into(view[have:])
            if n == 0:
                raise ConnectionError("Runtime API connection closed")
            have += n
        return status, headers, body

    def _fill(self):
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionError("Runtime API connection closed")
        self._buffered += chunk


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_arn, client_context, identity):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        # AWS's runtime always gives an identity, with None attributes when the header is absent.
        self.identity = CognitoIdentity(json.loads(identity) if identity else {})
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


# Attribute objects (not dicts) with AWS's names; slots, so an unknown attribute is an error there too.
class CognitoIdentity:
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self, identity):
        self.cognito_identity_id = identity.get("cognitoIdentityId")
        self.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (self.cognito_identity_id, self.cognito_identity_pool_id)


class Client:
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")

    def __init__(self, client):
        for name in Client.__slots__:
            setattr(self, name, client.get(name))

    def __repr__(self):
        return "Client([%s])" % ",".join("%s=%s" % (n, getattr(self, n)) for n in Client.__slots__)


class ClientContext:
    __slots__ = ("custom", "env", "client")

    def __init__(self, context):
        self.custom = context.get("custom")
        self.env = context.get("env")
        client = context.get("client")
        self.client = Client(client) if client is not None else None

    def __repr__(self):
        return "ClientContext([custom=%s,env=%s,client=%s])" % (self.custom, self.env, self.client)


class _RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = _RequestIdFilter.request_id
        return True


# A LogRecord's own attributes; any other one (`extra=`) becomes a field of the JSON object.
_RECORD_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "aws_request_id",
}


class _JsonFormatter(logging.Formatter):
    """AWS's JSON formatter: timestamp (UTC, milliseconds), level, message, logger, requestId, the
    exception's errorType/errorMessage/stackTrace and location when there is one, then the extras;
    fields without a value are left out."""

    def format(self, record):
        # Custom levels are named after the standard one below them, as AWS's formatter does.
        level = min(50, max(0, record.levelno)) // 10 * 10
        exc = record.exc_info if record.exc_info and record.exc_info[0] else None
        created = datetime.fromtimestamp(record.created, tz=timezone.utc)
        entry = {
            "timestamp": created.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "level": logging.getLevelName(level),
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc[2]) if exc else None,
            "errorType": exc[0].__name__ if exc else None,
            "errorMessage": str(exc[1]) if exc else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if exc else None,
        }
        entry.update((k, v) for k, v in record.__dict__.items() if k not in _RECORD_FIELDS and k not in entry)
        return json.dumps({k: v for k, v in entry.items() if v is not None}, ensure_ascii=False) + "\n"


class _StdoutHandler(logging.Handler):
    """Writes each formatted record as it is: the JSON formatter ends it with its newline."""

    def emit(self, record):
        try:
            sys.stdout.write(self.format(record))
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


def _setup_logging():
    root = logging.getLogger()
    root.setLevel(logging.WARNING)
    if JSON_LOGS:
        handler = _StdoutHandler()
        handler.setFormatter(_JsonFormatter())
        # AWS_LAMBDA_LOG_LEVEL sets the root logger's level; Python has no TRACE, AWS maps it to DEBUG.
        level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
        level = "DEBUG" if level == "TRACE" else level
        if isinstance(logging.getLevelName(level), int):
            root.setLevel(level)
    else:
        handler = logging.StreamHandler(sys.stdout)
        formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root.handlers = [handler]


def _error_payload(exc, request_id, error_type=None, message=None):
    tb = traceback.extract_tb(exc.__traceback__) if exc is not None else []
    # Frames of this bootstrap are the platform's, not the function's.
    tb = [f for f in tb if os.path.abspath(f.filename) != os.path.abspath(__file__)]
    return {
        "errorMessage": message if message is not None else str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(tb),
    }


def _log_error(payload):
    if JSON_LOGS:
        # AWS's JSON error line: a timestamp to the second, level ERROR, then the error document.
        entry = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "level": "ERROR"}
        entry.update(payload)
        print(json.dumps(entry), flush=True)
        return
    print("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (payload["errorType"], payload["errorMessage"], "".join(payload["stackTrace"])), flush=True)


def _load_handler():
    try:
        module_name, function_name = HANDLER.rsplit(".", 1)
    except ValueError as e:
        raise _InitError("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (HANDLER, e))
    # Messages name the module as the handler spells it (`dir/file`, `pkg.mod`), as AWS's do.
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise _InitError("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % module_name)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise _InitError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise _InitError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e), trace)
    # Anything else raised by the module's code is reported as itself (type, message, frames) by main().
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _InitError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))


class _InitError(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def _set_sys_path():
    """sys.path as AWS's runtime arranges it: the task root, the layers' directories, then the
    runtime's own directory. PYTHONPATH names only the latter (`/var/runtime`), as on AWS."""
    layers = os.environ.pop("_LAMBKIN_PYTHON_LAYER_PATHS", "")
    # On AWS a PYTHONPATH of the function's own takes the layer directories' place.
    if os.environ.get("PYTHONPATH") != os.environ.get("LAMBDA_RUNTIME_DIR"):
        layers = ""
    code = [TASK_ROOT] + [p for p in layers.split(":") if p]
    # The bootstrap's folder (the script's, first) moves behind the function's and the layers' code.
    own = sys.path.pop(0)
    sys.path[0:0] = code if own in sys.path else code + [own]
    # Their .pth files are honoured, as AWS's runtime does for the task root and the layers.
    for directory in code:
        site.addsitedir(directory)


def _start_debugger():
    """Lambkin's debugger session (`lambkin debug`): debugpy listens and the runtime waits for a
    client before the handler is imported, so breakpoints in Init code are hit too. debugpy comes
    from the function's package, a layer or the host (Debian package python3-debugpy)."""
    address = os.environ.pop("LAMBKIN_DEBUGPY_LISTEN", None)
    if not address:
        return
    try:
        import debugpy
    except ImportError:
        print("[lambkin] no debugger for this environment: debugpy cannot be imported "
              "(install Debian's python3-debugpy on the Lambkin host, or add debugpy to the "
              "function's package or a layer)", file=sys.stderr, flush=True)
        return
    host, _, port = address.rpartition(":")
    debugpy.listen((host, int(port)))
    debugpy.wait_for_client()


def main():
    _set_sys_path()
    _setup_logging()
    _start_debugger()
    api = _RuntimeConnection()
    try:
        handler = _load_handler()
    except _InitError as e:
        payload = {"errorMessage": e.message, "errorType": e.error_type, "requestId": "", "stackTrace": e.trace}
    except Exception as e:
        payload = _error_payload(e, "")
    else:
        payload = None
    if payload is not None:
        _log_error(payload)
        api.send("POST", "/runtime/init/error", json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": payload["errorType"]})
        api.reply()
        sys.exit(1)

    api.send("GET", "/runtime/invocation/next")
    while True:
        status, headers, body = api.reply()
        if status != 200:
            # As AWS's runtime client: without an event from our own Runtime API, stop. (A runtime
            # that outlived its server must not spin against whatever listens on that port now.)
            sys.stderr.write("Runtime API /runtime/invocation/next answered %d: exiting\n" % status)
            sys.exit(1)
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        _RequestIdFilter.request_id = request_id
        base = "/runtime/invocation/%s" % request_id
        try:
            context = LambdaContext(
                request_id,
                deadline,
                headers.get("lambda-runtime-invoked-function-arn"),
                headers.get("lambda-runtime-client-context"),
                headers.get("lambda-runtime-cognito-identity"),
            )
            event = json.loads(body) if body else {}
            result = handler(event, context)
        except Exception as e:
            payload = _error_payload(e, request_id)
            _log_error(payload)
            answer = (base + "/error", json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
        else:
            try:
                answer = (base + "/response", json.dumps(result), {"Content-Type": "application/json"})
            except Exception as e:
                payload = _error_payload(None, request_id, "Runtime.MarshalError", "Unable to marshal response: %s" % e)
                answer = (base + "/error", json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
        sys.stdout.flush()
        # The answer and the next poll leave together; the answer's 202 comes back before the next event.
        api.send("POST", *answer)
        api.send("GET", "/runtime/invocation/next")
        api.reply()

if __name__ == "__main__":
    main()
