# frozen_string_literal: true

# Lambkin's Ruby runtime client: runs in the function's process.
#
# Talks Runtime API 2018-06-01 at $AWS_LAMBDA_RUNTIME_API and calls `_HANDLER` (`file.method` or
# `file.Module::Class.method`) from $LAMBDA_TASK_ROOT with `event:` and `context:` keywords, as
# AWS's Ruby runtime does; errors, logs and the context object take AWS's shapes. Standard library
# only.

require 'json'
require 'logger'
require 'net/http'
require 'stringio'

$stdout.sync = true
$stderr.sync = true

# The context handlers receive: AWS's class name and readers.
class LambdaContext
  attr_reader :aws_request_id, :invoked_function_arn, :log_group_name, :log_stream_name, :function_name,
              :memory_limit_in_mb, :function_version, :identity, :client_context, :deadline_ms

  def initialize(headers)
    @deadline_ms = headers['lambda-runtime-deadline-ms'].to_i
    @aws_request_id = headers['lambda-runtime-aws-request-id']
    @invoked_function_arn = headers['lambda-runtime-invoked-function-arn']
    @log_group_name = ENV['AWS_LAMBDA_LOG_GROUP_NAME']
    @log_stream_name = ENV['AWS_LAMBDA_LOG_STREAM_NAME']
    @function_name = ENV['AWS_LAMBDA_FUNCTION_NAME']
    @memory_limit_in_mb = ENV['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
    @function_version = ENV['AWS_LAMBDA_FUNCTION_VERSION']
    # Parsed Hashes, or nil when the invoke had none (AWS's Ruby context has no wrapper objects).
    identity = headers['lambda-runtime-cognito-identity']
    client_context = headers['lambda-runtime-client-context']
    @identity = JSON.parse(identity) if identity
    @client_context = JSON.parse(client_context) if client_context
  end

  def get_remaining_time_in_millis
    remaining = @deadline_ms - Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
    remaining.positive? ? remaining : 0
  end
end

module LambkinRuntime
  API = ENV.fetch('AWS_LAMBDA_RUNTIME_API', '127.0.0.1:9001')
  TASK_ROOT = ENV.fetch('LAMBDA_TASK_ROOT', Dir.pwd)
  JSON_LOGS = ENV.fetch('AWS_LAMBDA_LOG_FORMAT', '').upcase == 'JSON'
  USER_AGENT = "aws-lambda-ruby/#{RUBY_VERSION}-lambkin"
  # Classes whose name AWS's runtime puts in the Lambda-Runtime-Function-Error-Type header; any
  # other is reported there as `Function<UserException>` (the body always names the real class).
  NAMED_ERROR_CLASSES = %w[ArgumentError NoMethodError Exception StandardError NameError LoadError SystemExit SystemStackError].freeze

  class << self
    attr_accessor :request_id

    # One log event per call, as AWS's telemetry sink frames each write: inner newlines become
    # carriage returns, which Lambkin keeps inside one event (as its Node runtime does).
    def emit(text)
      $stdout.write("#{text.to_s.chomp.gsub("\n", "\r")}\n")
    end
  end

  # An exception as AWS's Ruby runtime reports it: `Function<RuntimeError>` for a handler's,
  # `Init<LoadError>` for one raised while loading the handler's file.
  class ReportedError
    attr_reader :payload, :header_type

    def initialize(error, classification)
      name = error.class.to_s
      @payload = { errorMessage: error.message, errorType: "#{classification}<#{name}>", stackTrace: function_frames(error) }
      @header_type = NAMED_ERROR_CLASSES.include?(name) ? @payload[:errorType] : 'Function<UserException>'
    end

    private

    # The function's frames only: the trace stops where this runtime client's own begin.
    def function_frames(error)
      frames = []
      (error.backtrace_locations || []).first(100).each do |location|
        break if location.absolute_path == __FILE__ || location.path == __FILE__

        frames << location.to_s
      end
      frames
    end
  end

  # The Runtime API on one kept-alive connection; `next` waits as long as it takes.
  class RuntimeApi
    def initialize
      host, port = API.split(':', 2)
      @http = Net::HTTP.new(host, port.to_i)
      @http.read_timeout = nil
      @http.keep_alive_timeout = 3600
      @http.start
    end

    def next_invocation
      response = @http.request(Net::HTTP::Get.new('/2018-06-01/runtime/invocation/next', 'User-Agent' => USER_AGENT))
      unless response.is_a?(Net::HTTPSuccess)
        # Without an event from our own Runtime API the runtime stops, as AWS's client does.
        warn "Runtime API /runtime/invocation/next answered #{response.code}: exiting"
        exit(1)
      end
      response
    end

    def post(path, body, headers)
      request = Net::HTTP::Post.new("/2018-06-01#{path}", { 'User-Agent' => USER_AGENT }.merge(headers))
      request.body = body
      @http.request(request)
    end
  end

  # `Logger.new($stdout)` in a function writes AWS's Lambda lines, with the request id.
  class LogFormatter < Logger::Formatter
    FORMAT = '%<sev>s, [%<datetime>s #%<process>d] %<severity>5s %<request_id>s -- %<progname>s: %<msg>s'

    def call(severity, time, progname, msg)
      line = format(FORMAT, sev: severity[0], datetime: format_datetime(time.utc), process: $$, severity: severity,
                            request_id: LambkinRuntime.request_id, progname: progname, msg: msg2str(msg))
      line.encode('UTF-8', invalid: :replace, undef: :replace)
    end
  end

  # LoggingConfig.LogFormat JSON: one object per record, fields without a value left out.
  class JsonLogFormatter < Logger::Formatter
    def call(severity, time, progname, msg)
      entry = {
        timestamp: time.utc.strftime('%Y-%m-%dT%H:%M:%S.%6NZ'),
        level: severity,
        message: msg.is_a?(Exception) ? msg.message : msg2str(msg),
        requestId: LambkinRuntime.request_id,
      }
      entry[:logger] = progname.to_s unless progname.nil? || progname.to_s.empty?
      if msg.is_a?(Exception)
        entry[:errorType] = msg.class.to_s
        entry[:errorMessage] = msg.message
        entry[:stackTrace] = Array(msg.backtrace)
      end
      JSON.generate(entry.compact)
    end
  end

  # Where Logger writes when a function logs to $stdout or $stderr.
  class LogSink
    def write(text)
      LambkinRuntime.emit(text)
    end

    def close; end
  end

  SINK = LogSink.new

  # Loggers on the standard streams get the Lambda format unless the function chose its own.
  module LoggerPatch
    def initialize(logdev = nil, *args, **options)
      if logdev.equal?($stdout) || logdev.equal?($stderr)
        logdev = SINK
        options[:formatter] ||= JSON_LOGS ? JsonLogFormatter.new : LogFormatter.new
        level = LambkinRuntime.log_level
        options[:level] ||= level if level
      end
      super(logdev, *args, **options)
    end
  end

  def self.log_level
    return nil unless JSON_LOGS

    level = ENV.fetch('AWS_LAMBDA_LOG_LEVEL', '').upcase
    level = 'DEBUG' if level == 'TRACE'
    %w[DEBUG INFO WARN ERROR FATAL].include?(level) ? level.downcase.to_sym : nil
  end

  def self.log_error(message, reported)
    emit(message)
    emit(JSON.pretty_generate(reported.payload))
  end

  # The handler, as `_HANDLER` names it: a top-level method, or a class method of a namespace.
  class Handler
    attr_reader :file

    def initialize(spec)
      parts = spec.split('.')
      case parts.size
      when 2 then @file, @method = parts
      when 3 then @file, @namespace, @method = parts
      else
        raise ArgumentError, "Invalid handler #{parts}, must be of form FILENAME.METHOD or FILENAME.CLASS.METHOD where FILENAME " \
                             'corresponds with an existing Ruby source file FILENAME.rb, CLASS is an optional module/class ' \
                             'namespace and METHOD is a callable method. If using CLASS, METHOD must be a class-level method.'
      end
    end

    def call(event, context)
      receiver = @namespace ? Kernel.const_get(@namespace) : TOPLEVEL_BINDING.receiver
      receiver.__send__(@method, event: event, context: context)
    end
  end

  def self.event_of(response)
    body = response.body.to_s
    return body unless response['content-type'] == 'application/json'

    body.empty? ? {} : JSON.parse(body)
  end

  # [body, content type]: JSON unless the handler returned an IO, whose bytes go as they are.
  def self.marshal(result)
    case result
    when StringIO, IO then [result.read, 'application/unknown']
    else [result.to_json, 'application/json']
    end
  end

  def self.run
    $LOAD_PATH.unshift(TASK_ROOT) unless $LOAD_PATH.include?(TASK_ROOT)
    Logger.prepend(LoggerPatch)
    api = RuntimeApi.new
    begin
      handler = Handler.new(ENV.fetch('_HANDLER', ''))
      require handler.file
    rescue Exception => e # rubocop:disable Lint/RescueException -- a SyntaxError or LoadError is an Init error too
      reported = ReportedError.new(e, 'Init')
      log_error('Init error when loading handler', reported)
      api.post('/runtime/init/error', JSON.generate(reported.payload), 'Lambda-Runtime-Function-Error-Type' => reported.header_type,
                                                                         'Content-Type' => 'application/json')
      exit(-4)
    end

    loop do
      response = api.next_invocation
      self.request_id = response['lambda-runtime-aws-request-id']
      $_global_aws_request_id = request_id
      trace = response['lambda-runtime-trace-id']
      if trace
        ENV['_X_AMZN_TRACE_ID'] = trace
      else
        ENV.delete('_X_AMZN_TRACE_ID')
      end
      base = "/runtime/invocation/#{request_id}"
      critical = false
      begin
        body, content_type = marshal(handler.call(event_of(response), LambdaContext.new(response)))
        api.post("#{base}/response", body, 'Content-Type' => content_type)
        next
      rescue Exception => e # rubocop:disable Lint/RescueException
        # As AWS's runtime: a missing method or constant, or an exception outside StandardError,
        # ends the runtime after it is reported; the next invoke starts a new one.
        critical = e.is_a?(NameError) || !e.is_a?(StandardError)
        reported = ReportedError.new(e, 'Function')
        log_error(critical ? 'Critical exception from handler' : 'Error raised from handler method', reported)
      end
      api.post("#{base}/error", JSON.generate(reported.payload), 'Lambda-Runtime-Function-Error-Type' => reported.header_type,
                                                                 'Content-Type' => 'application/json')
      exit(-1) if critical
    end
  end
end

# `puts` in a function is one log event per call, as on AWS (its runtime sends each call to the
# telemetry sink as one frame, arrays flattened and joined by newlines).
module Kernel
  def puts(*args)
    LambkinRuntime.emit(args.flatten.map { |a| a.to_s.encode('UTF-8') }.join("\n"))
    nil
  end
end

LambkinRuntime.run
