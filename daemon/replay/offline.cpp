#include "replay/offline.hpp"

#include <algorithm>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "core/engine.hpp"
#include "feed/ingest.hpp"
#include "replay/ack_resolution.hpp"

namespace vigil::replay {
namespace {

class player {
 public:
  player(const offline_options& opts, const event_sink& sink, offline_report& report)
      : on_output_(opts.on_output),
        engine_(opts.engine),
        ingest_(engine_, opts.prefix),
        prefix_(opts.prefix),
        sink_(sink),
        report_(report) {}

  void play(const io::frame& f) {
    core::time_ms t = f.time;
    if (clock_ && t < *clock_) {
      // A live clock stepped back (NTP): the engine's clock never does, so neither does ours.
      ++clock_steps_back_;
      t = *clock_;
    }
    if (clock_ && t > *clock_) {
      engine_.advance(*clock_, out_);
      engine_.advance(t - 1, out_);
      emit(true);
    }
    clock_ = t;
    if (f.kind == io::frame_kind::end) return;
    ++report_.frames;
    const std::string_view payload = resolve(f.topic, f.payload, t) ? resolved_ : f.payload;
    if (auto d = ingest_.handle(f.topic, payload, t, out_)) {
      if (warned_drops_++ < 10) {
        report_.warnings.push_back("frame at byte " + std::to_string(f.offset) +
                                   " dropped: " + d->detail);
      }
    }
    emit(false);
  }

  void finish() {
    if (clock_) engine_.advance(*clock_, out_);
    emit(true);
    if (warned_drops_ > 10) {
      report_.warnings.push_back(std::to_string(warned_drops_ - 10) + " more frames dropped");
    }
    if (clock_steps_back_ > 0) {
      report_.warnings.push_back(std::to_string(clock_steps_back_) +
                                 " frames earlier than the frame before them were played at "
                                 "that frame's time");
    }
  }

 private:
  // An imported `ack CONDITION` becomes an ack of the bed's newest open alarm of CONDITION as
  // the engine stands now; unresolvable, it goes in as it is and the engine rejects and counts
  // it, like any ack of an unknown alarm. True when it put a new payload in resolved_.
  bool resolve(std::string_view topic, std::string_view payload, core::time_ms t) {
    // Only an ack can hold a placeholder; every input topic of another kind ends otherwise, so
    // the readings skip this parse (ingest parses their topic once).
    if (!topic.ends_with("/alarms/ack")) return false;
    const auto parsed = codec::parse_input_topic(prefix_, topic);
    if (!parsed || parsed.value().kind != codec::input_kind::ack) return false;
    auto ack = codec::decode_alarm_ack(payload);
    if (!ack) return false;
    const auto condition = unresolved_condition(ack.value().alarm_id);
    if (!condition) return false;
    const auto id = resolve_ack(*condition, engine_.active(parsed.value().bed));
    if (!id) {
      report_.warnings.push_back("at " + std::to_string(t) + " ms, bed " + parsed.value().bed +
                                 ": ack " + std::string(*condition) + " found no open " +
                                 std::string(*condition) + " alarm");
      return false;
    }
    ack.value().alarm_id = *id;
    resolved_ = codec::encode(ack.value());
    return true;
  }

  // After a message, the beds it changed stay listed for the next advance's snapshots when
  // someone reads them (on_output); after an advance, everything is handed on.
  void emit(bool advanced) {
    if (out_.empty()) return;  // nothing to hand on or clear
    for (const auto& e : out_.events) sink_(e);
    report_.events += out_.events.size();
    if (!on_output_) {
      out_.clear();
      return;
    }
    on_output_(out_, engine_, clock_.value_or(0));
    if (advanced) {
      out_.clear();
    } else {
      out_.events.clear();
      out_.readings.clear();
      out_.diagnostics.clear();
      out_.active.clear();
      out_.sessions.clear();
    }
  }

  const std::function<void(const core::engine_output&, core::engine&, core::time_ms)>& on_output_;
  core::engine engine_;
  feed::ingest ingest_;
  std::string prefix_;
  const event_sink& sink_;
  offline_report& report_;
  core::engine_output out_;
  std::string resolved_;  // an imported ack's payload with its alarm id resolved
  std::optional<core::time_ms> clock_;
  std::uint64_t clock_steps_back_ = 0;
  std::uint64_t warned_drops_ = 0;
};

}  // namespace

offline_report play_offline(const std::filesystem::path& recording, const offline_options& opts,
                            const event_sink& on_event) {
  offline_report report;
  io::recording_reader reader;
  if (!reader.open(recording)) {
    report.error = reader.error();
    return report;
  }
  player p(opts, on_event, report);
  while (auto f = reader.next()) p.play(*f);
  if (const auto& err = reader.error()) {
    if (err->fault != io::read_fault::truncated_frame || !opts.accept_truncated_tail) {
      report.error = err;
      return report;
    }
    report.warnings.push_back(err->message + "; played the " + std::to_string(report.frames) +
                              " whole frames before it");
  }
  p.finish();
  return report;
}

}  // namespace vigil::replay
