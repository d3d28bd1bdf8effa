// The session's record and the bed's trend, live (README "The record", "Topics"): when a
// session ends vigild writes its PDF and FHIR bundle to [record] dir; a record that could not
// be written then is written at the next start; and every bed's trend is on its retained
// trend topic, where a page opened late finds the whole of it.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "codec/history.hpp"
#include "codec/topics.hpp"
#include "history_fixture.hpp"
#include "temp_dir.hpp"

namespace vigil::test {
namespace {

namespace fs = std::filesystem;

class record_live_test : public history_live_test {
 protected:
  // vigild writing records to `records` ("": none), with a recovery of 1.2 s so a session
  // ends within the test.
  void start_writing(const std::string& records, const std::string& state_dir) {
    launch_vigild("[record]\ndir = \"" + records + "\"\n[infusion]\nrecovery_minutes = 0.02\n",
                  state_dir);
    if (!client_) connect_client();
    ASSERT_TRUE(client_->wait_online(instance, std::chrono::seconds(10), started_at_))
        << vigild_->log();
    history_ = std::make_unique<history_client>(*mqtt_, prefix);
  }
  // A session with SBP_HIGH raised, acknowledged and ended, then stopped: back to IDLE 1.2 s
  // later.
  void whole_session(const std::string& bed, const std::string& session) {
    raise_and_end(bed, session);
    client_->send(bed, infusion(core::infusion_kind::stopped, session));
  }
  static bool wait_file(const fs::path& p, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!fs::exists(p)) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      // A file, not a message: nothing to wait on but the file system.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
  }
  static std::string text_of(const fs::path& pdf) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(
        popen(("pdftotext -layout '" + pdf.string() + "' -").c_str(), "r"), pclose);
    char buf[4096];
    while (p && std::fgets(buf, sizeof buf, p.get())) out += buf;
    return out;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  core::time_ms started_at_ = wall_ms();
};

TEST_F(record_live_test, an_ended_session_has_its_pdf_and_fhir_bundle_written) {
  temp_dir state;
  const fs::path records = state.path() / "records";
  start_writing(records.string(), state.path().string());
  whole_session("chair-4", "s-77");
  const fs::path pdf = records / "chair-4_s-77.pdf";
  const fs::path fhir = records / "chair-4_s-77.fhir.json";
  ASSERT_TRUE(wait_file(fhir, std::chrono::seconds(10))) << vigild_->log();
  ASSERT_TRUE(fs::exists(pdf));
  const std::string text = text_of(pdf);
  for (const char* expected : {"Bed chair-4", "s-77", "MRN-chair-4", "ENC-s-77",
                               "Peak SBP 186 mmHg", "SBP_HIGH", "nurse-1", "120/80"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " not in:\n" << text;
  }
  const std::string bundle = read(fhir);
  EXPECT_NE(bundle.find("\"85354-9\""), std::string::npos);
  EXPECT_NE(bundle.find("Patient/MRN-chair-4"), std::string::npos);
  EXPECT_NE(bundle.find("\"value\":186"), std::string::npos) << bundle.substr(0, 2000);
  // Written once: no .part left behind.
  for (const auto& f : fs::directory_iterator(records)) {
    EXPECT_FALSE(f.path().string().ends_with(".part")) << f.path();
  }
}

// More than one batch of due records (the writer reads 16 at a time).
TEST_F(record_live_test,
       records_not_written_when_their_sessions_ended_are_written_at_the_next_start) {
  temp_dir state;
  const fs::path records = state.path() / "records";
  start_writing("", state.path().string());  // no files: the records stay due
  whole_session("chair-5", "s-88");
  constexpr int beds = 20;
  for (int i = 0; i < beds; ++i) {
    const std::string bed = "bay-" + std::to_string(i);
    client_->send(bed, nibp(120, 80));
    client_->send(bed, started(bed, "s-" + std::to_string(i)));
    client_->send(bed, infusion(core::infusion_kind::stopped, "s-" + std::to_string(i)));
  }
  // Every session's end is committed once the history says so.
  const auto answer = ask_until({}, [&](const codec::history_response& a) {
    return a.sessions.size() == beds + 1 &&
           std::all_of(a.sessions.begin(), a.sessions.end(),
                       [](const record::session_info& s) { return s.ended_ms != 0; });
  });
  ASSERT_TRUE(answer && answer->sessions.size() == beds + 1) << vigild_->log();
  vigild_->kill();
  started_at_ = wall_ms();
  start_writing(records.string(), state.path().string());
  EXPECT_TRUE(wait_file(records / "chair-5_s-88.pdf", std::chrono::seconds(20))) << vigild_->log();
  EXPECT_TRUE(wait_file(records / "chair-5_s-88.fhir.json", std::chrono::seconds(10)));
  for (int i = 0; i < beds; ++i) {
    const std::string stem = "bay-" + std::to_string(i) + "_s-" + std::to_string(i);
    EXPECT_TRUE(wait_file(records / (stem + ".fhir.json"), std::chrono::seconds(20)))
        << stem << "\n"
        << vigild_->log();
  }
}

TEST_F(record_live_test, the_trend_is_retained_with_every_nibp_reading_and_survives_a_restart) {
  temp_dir state;
  start_writing("", state.path().string());
  client_->send("chair-6", nibp(120, 80));
  client_->send("chair-6", started("chair-6", "s-99"));
  client_->send("chair-6", nibp(150, 90));
  client_->send("chair-6", nibp(172, 94));
  const std::string topic = codec::trend_topic(prefix, "chair-6");
  // A late page: a new subscription gets the retained trend.
  const auto has_readings = [&](const received_message& m) {
    if (m.topic != topic) return false;
    auto t = codec::decode_bed_trend(m.payload);
    if (!t || t.value().session_id != "s-99") return false;
    std::vector<double> sys;
    for (const auto& p : t.value().points)
      if (p.series == record::series::nibp_sys) sys.push_back(p.mean);
    return sys == std::vector<double>{150, 172};  // the session's, not the baseline before it
  };
  // What the trends received held, for a failure's message.
  const auto seen = [&](const mqtt_test_client& c) {
    std::string out;
    for (const auto& m : c.messages()) {
      if (m.topic != topic) continue;
      auto t = codec::decode_bed_trend(m.payload);
      if (!t) continue;
      out += "trend of session '" + t.value().session_id + "':";
      for (const auto& p : t.value().points)
        out += " " + std::string(record::to_string(p.series)) + "=" + std::to_string(p.mean);
      out += "\n";
    }
    return out;
  };
  mqtt_->subscribe(topic);
  ASSERT_TRUE(mqtt_->wait_for(has_readings, std::chrono::seconds(15)))
      << seen(*mqtt_) << vigild_->log();
  // After a restart the trend is read back from the store and published again, whole.
  vigild_->stop();
  started_at_ = wall_ms();
  start_writing("", state.path().string());
  mqtt_test_client late(broker_.uri());
  late.subscribe(topic);
  EXPECT_TRUE(late.wait_for(has_readings, std::chrono::seconds(15))) << vigild_->log();
  const auto after = wall_ms();
  client_->send("chair-6", nibp(181, 99));
  EXPECT_TRUE(late.wait_for(
      [&](const received_message& m) {
        auto t = codec::decode_bed_trend(m.payload);
        return m.topic == topic && t && t.value().at_ms >= after && t.value().points.size() >= 6 &&
               t.value().points.back().mean >= 99;
      },
      std::chrono::seconds(15)))
      << vigild_->log();
}

}  // namespace
}  // namespace vigil::test
