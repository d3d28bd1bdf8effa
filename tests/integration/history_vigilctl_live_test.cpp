// The real vigilctl history and vigilctl burden against a live vigild: what they print holds the
// events vigild published (JSON lines parsed, CSV rows), and without a vigild they give up after
// --timeout with exit 1 and a line that says why.
#include <regex>
#include <sstream>

#include "child_process.hpp"
#include "history_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The value of "key" in one JSON object's text: a string's contents, or a number's digits; the
// first match, so a key also found in a nested object must be asked of that object's text.
// (Not protobuf's Struct: its Map, inlined into this ThreadSanitizer-built test and filled by
// the uninstrumented libprotobuf, crashes under TSan.)
std::string field(const std::string& json, const std::string& key) {
  const std::regex re("\"" + key + "\":(\"([^\"]*)\"|(-?[0-9.eE+]+|null|true|false))");
  std::smatch m;
  if (!std::regex_search(json, m, re)) {
    ADD_FAILURE() << "no " << key << " in " << json;
    return {};
  }
  return m[2].matched ? m[2].str() : m[3].str();
}
double number(const std::string& json, const std::string& key) {
  const auto v = field(json, key);
  return v.empty() || v == "null" ? -1 : std::stod(v);
}
// The text of the object that is the value of "key".
std::string object(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\":{");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no object " << key << " in " << json;
    return {};
  }
  const auto start = json.find('{', at);
  int depth = 0;
  for (auto i = start; i < json.size(); ++i) {
    if (json[i] == '{') ++depth;
    if (json[i] == '}' && --depth == 0) return json.substr(start, i - start + 1);
  }
  return {};
}

class history_vigilctl_test : public history_live_test {
 protected:
  run_result vigilctl(std::vector<std::string> args) {
    args.insert(args.begin(), {VIGILCTL_PATH, "--broker", broker_.uri()});
    return run_to_completion(std::move(args), 30s);
  }
};

TEST_F(history_vigilctl_test, history_and_burden_print_what_vigild_kept) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(raise_and_end("chair-1", "s1"));
  const auto events = live();

  // JSON: one line per event, in order, each the event as vigild published it.
  const auto json = vigilctl({"history", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const auto lines = lines_of(json.output);
  ASSERT_EQ(lines.size(), events.size()) << json.output;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    EXPECT_EQ(field(line, "alarm_id"), events[i].alarm_id);
    // 64-bit integers are quoted in protobuf's JSON.
    EXPECT_EQ(field(line, "event_seq"), std::to_string(events[i].event_seq));
    EXPECT_EQ(field(line, "bed_id"), "chair-1");
    EXPECT_EQ(field(line, "session_id"), "s1");
    EXPECT_EQ(lines[i], codec::to_json_line(events[i]));
  }
  EXPECT_EQ(field(lines[0], "transition"), "TRANSITION_RAISED");
  EXPECT_EQ(field(lines.back(), "transition"), "TRANSITION_ENDED");

  // CSV: the header, then one row per event.
  const auto csv = vigilctl({"history", "--format", "csv", "--bed", "chair-1"});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  const auto rows = lines_of(csv.output);
  ASSERT_EQ(rows.size(), events.size() + 1) << csv.output;
  EXPECT_TRUE(rows[0].starts_with("at,bed_id,event_seq,alarm_id,session_id,condition")) << rows[0];
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_NE(rows[i + 1].find(",chair-1," + std::to_string(events[i].event_seq) + "," +
                               events[i].alarm_id + ",s1," + events[i].condition + ","),
              std::string::npos)
        << rows[i + 1];
  }

  // The burden of the last day: the alarms raised in the session, one acknowledged.
  std::set<std::string> raised;
  for (const auto& e : events)
    if (e.transition == core::transition::raised) raised.insert(e.alarm_id);
  const auto burden = vigilctl({"burden", "--since", "1d", "--format", "json"});
  ASSERT_EQ(burden.exit_code, 0) << burden.output;
  const auto& report = burden.output;
  EXPECT_EQ(number(report, "sessions"), 1);
  EXPECT_GT(number(report, "bed_hours"), 0);
  const auto total = object(report, "total");
  EXPECT_EQ(number(total, "alarms"), static_cast<double>(raised.size()));
  EXPECT_EQ(number(total, "in_session"), static_cast<double>(raised.size()));
  EXPECT_EQ(number(total, "acknowledged"), 1);
}

TEST_F(history_vigilctl_test, without_a_vigild_history_and_burden_exit_1_saying_so) {
  // A broker, but no vigild: nobody answers.
  for (const auto& command : {"history", "burden"}) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = vigilctl({command, "--timeout", "1"});
    EXPECT_EQ(r.exit_code, 1) << command << ": " << r.output;
    EXPECT_NE(r.output.find("vigilctl: no answer from vigild within 1 s"), std::string::npos)
        << command << ": " << r.output;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 8s) << command;
  }
}

}  // namespace
}  // namespace vigil::test
