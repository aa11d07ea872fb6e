// A Lambda runtime client with Go's standard library only, built static by the container image
// tests and put in an image as its entrypoint: it reports what the function sees of its image.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	for {
		res, err := http.Get(api + "next")
		if err != nil {
			fmt.Fprintln(os.Stderr, "next:", err)
			os.Exit(1)
		}
		event, _ := io.ReadAll(res.Body)
		res.Body.Close()
		id := res.Header.Get("Lambda-Runtime-Aws-Request-Id")
		var input map[string]interface{}
		_ = json.Unmarshal(event, &input)
		if input["fail"] == true {
			body, _ := json.Marshal(map[string]string{"errorType": "ImageError", "errorMessage": "failed on purpose"})
			post(api+id+"/error", body)
			continue
		}
		cwd, _ := os.Getwd()
		greeting, _ := os.ReadFile("/etc/greeting")
		_, removedErr := os.Stat("/etc/removed")
		entries, _ := os.ReadDir("/opt/dir")
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		linked, _ := os.ReadFile("/usr/local/share/linked")
		tmpErr := os.WriteFile("/tmp/probe", []byte("x"), 0o644)
		rootErr := os.WriteFile("/probe", []byte("x"), 0o644)
		out := map[string]interface{}{
			"handler":      os.Getenv("_HANDLER"),
			"taskRoot":     os.Getenv("LAMBDA_TASK_ROOT"),
			"fromImageEnv": os.Getenv("FROM_IMAGE"),
			"functionVar":  os.Getenv("FUNCTION_VAR"),
			"args":         os.Args[1:],
			"cwd":          cwd,
			"greeting":     string(greeting),
			"removedGone":  os.IsNotExist(removedErr),
			"optDir":       names,
			"hardLinked":   string(linked),
			"tmpWritable":  tmpErr == nil,
			"rootWritable": rootErr == nil,
			"uid":          os.Getuid(),
			"event":        input,
		}
		out["runtimeApi"] = os.Getenv("AWS_LAMBDA_RUNTIME_API")
		// A host loopback port the test listens on: reachable only where the network is the host's.
		if port, ok := input["probePort"].(float64); ok {
			conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", int(port)), time.Second)
			if err != nil {
				out["probe"] = err.Error()
			} else {
				out["probe"] = "connected"
				conn.Close()
			}
		}
		body, _ := json.Marshal(out)
		post(api+id+"/response", body)
	}
}

func post(url string, body []byte) {
	res, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, "post:", err)
		os.Exit(1)
	}
	res.Body.Close()
}
