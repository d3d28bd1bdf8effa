// The JSON view end to end: vigild with [mqtt] json_view = true, and a plain subscriber that
// knows no protobuf (mosquitto_sub) on {prefix}/json/#, each message parsed by node's
// JSON.parse.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "child_process.hpp"
#include "live_fixture.hpp"
#include "temp_dir.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(live_test, json_view_publishes_every_output_again_as_json_for_a_plain_subscriber) {
  start_vigild("[mqtt]\njson_view = true\n");
  temp_dir dir;
  const auto out = (dir.path() / "json.txt").string();
  // -v: "topic payload" per line. The retained status and session come first, then the live
  // messages of the cuff: 5 in all (status, session, event, active, session).
  child_process sub(
      {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(broker_.port()), "-t",
       std::string(prefix) + "/json/#", "-v", "-C", "5", "-W", "20"},
      out);
  // Subscribed once the retained status has come (polling a file a child process writes).
  for (int i = 0; i < 100 && read_file(out).find("/json/daemon/it/status") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_NE(read_file(out).find("/json/daemon/it/status"), std::string::npos) << read_file(out);
  client_->send("chair-1", infusion(core::infusion_kind::started));
  client_->send("chair-1", nibp(186, 95));
  ASSERT_EQ(sub.wait_exit(20s), 0) << read_file(out);

  const auto lines = read_file(out);
  EXPECT_NE(
      lines.find("clinic/json/beds/chair-1/alarms/events {\"alarm_id\":\"chair-1:SBP_HIGH:1\""),
      std::string::npos)
      << lines;
  EXPECT_NE(lines.find("clinic/json/beds/chair-1/alarms/active {"), std::string::npos) << lines;
  EXPECT_NE(lines.find("clinic/json/beds/chair-1/session {"), std::string::npos) << lines;
  EXPECT_NE(lines.find("\"state\":\"DAEMON_STATE_ONLINE\""), std::string::npos) << lines;

  // Every payload is JSON to a parser that knows nothing of protobuf.
  const auto check = run_to_completion(
      {"/usr/bin/node", "-e",
       "const lines = require('fs').readFileSync(process.argv[1], 'utf8').trim().split('\\n');"
       "for (const l of lines) JSON.parse(l.slice(l.indexOf(' ') + 1));"
       "console.log(lines.length + ' parsed');",
       out},
      20s);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("5 parsed"), std::string::npos) << check.output;
}

}  // namespace
}  // namespace vigil::test
