#include "core/alarm_machine.hpp"

#include <utility>

namespace vigil::core::detail {
namespace {

std::string make_id(bed_state& b, condition_id c) {
  return b.id + ":" + std::string(info(c).name) + ":" + std::to_string(++b.episodes[index(c)]);
}

// One transition of alarm `a` of condition `c` as an event, appended to the output.
alarm_event& emit(instant& in, bed_state& b, condition_id c, const open_alarm& a, transition t,
                  event_detail d) {
  const auto& ci = info(c);
  in.out.events.push_back({
      .alarm_id = a.id,
      .event_seq = ++b.event_seq,
      .bed_id = b.id,
      .session_id = b.session_id,
      .condition = std::string(ci.name),
      .kind = ci.kind,
      .priority = a.priority,
      .state = a.state,
      .transition = t,
      .value = d.value,
      .limit = d.limit,
      .unit = std::string(ci.unit),
      .onset_ms = a.onset_ms,
      .at_ms = in.now,
      .phase = b.phase,
      .infusion_elapsed_ms = in_session(b.phase) ? in.now - b.started_at : 0,
      .escalation_level = a.escalation_level,
      .acknowledged_by = a.acknowledged_by,
      .text = std::move(d.text),
  });
  in.beds.touch(b);
  if (t != transition::notice) {
    mark(in.out.alarms_changed, b.id);
    b.alarms_changed_at = in.now;
  }
  return in.out.events.back();
}

// Append a transition to an open alarm and keep it as the alarm's latest event.
void update(instant& in, bed_state& b, condition_id c, transition t, event_detail d) {
  auto& a = *b.open[index(c)];
  a.last = emit(in, b, c, a, t, std::move(d));
}

void arm_escalation(const engine_config& cfg, open_alarm& a, time_ms from) {
  a.escalate_at.reset();
  if (a.priority == priority::low || a.escalation_level >= cfg.escalation_max_level) return;
  a.escalate_at =
      from + (a.priority == priority::medium ? cfg.escalate_medium_ms : cfg.escalate_high_ms);
}

}  // namespace

void raise(instant& in, bed_state& b, condition_id c, priority p, event_detail d) {
  auto& a = b.open[index(c)].emplace();
  a.id = make_id(b, c);
  a.priority = p;
  a.onset_ms = in.now;
  a.reason = d.text;
  arm_escalation(in.cfg, a, in.now);
  a.last = emit(in, b, c, a, transition::raised, std::move(d));
}

void raise_again(instant& in, bed_state& b, condition_id c, event_detail d) {
  auto& a = *b.open[index(c)];
  a.state = alarm_state::active;
  a.reason = d.text;
  arm_escalation(in.cfg, a, in.now);
  update(in, b, c, transition::raised, std::move(d));
}

void rise_to_high(instant& in, bed_state& b, condition_id c, event_detail d) {
  auto& a = *b.open[index(c)];
  a.priority = priority::high;
  a.state = alarm_state::active;
  a.remind_at.reset();
  a.reason = d.text;
  arm_escalation(in.cfg, a, in.now);
  update(in, b, c, transition::escalated, std::move(d));
}

void latch(instant& in, bed_state& b, condition_id c, event_detail d) {
  auto& a = *b.open[index(c)];
  a.state = alarm_state::latched;
  a.escalate_at.reset();
  a.remind_at.reset();
  update(in, b, c, transition::latched, std::move(d));
}

void end(instant& in, bed_state& b, condition_id c, event_detail d) {
  auto& slot = b.open[index(c)];
  slot->state = alarm_state::ended;
  slot->escalate_at.reset();
  slot->remind_at.reset();
  emit(in, b, c, *slot, transition::ended, std::move(d));
  slot.reset();
}

void notice(instant& in, bed_state& b, condition_id c, event_detail d) {
  open_alarm n;
  n.id = make_id(b, c);
  n.priority = priority::low;
  n.state = alarm_state::ended;  // one event, no later ones: never listed as active
  n.onset_ms = in.now;
  d.text += in.when(b);
  emit(in, b, c, n, transition::notice, std::move(d));
}

bool acknowledge(instant& in, bed_state& b, const alarm_ack& m) {
  for (std::size_t i = 0; i < b.open.size(); ++i) {
    auto& slot = b.open[i];
    if (!slot || slot->id != m.alarm_id) continue;
    const auto c = static_cast<condition_id>(i);
    if (slot->state == alarm_state::active) {
      slot->state = alarm_state::acknowledged;
      slot->acknowledged_by = m.by;
      slot->ever_acknowledged = true;
      slot->escalate_at.reset();
      slot->remind_at = in.now + in.cfg.ack_silence_ms;
      update(in, b, c, transition::acknowledged,
             {.text = slot->reason + "; acknowledged by " + m.by + in.when(b)});
      return true;
    }
    if (slot->state == alarm_state::latched) {
      slot->acknowledged_by = m.by;
      end(in, b, c,
          {.text = slot->reason + "; latched alarm acknowledged by " + m.by + in.when(b)});
      return true;
    }
    return false;  // already acknowledged: a repeat changes nothing
  }
  return false;
}

void escalation_due(instant& in, bed_state& b, condition_id c) {
  auto& a = *b.open[index(c)];
  a.escalate_at.reset();
  if (a.state != alarm_state::active) return;
  ++a.escalation_level;
  a.priority = priority::high;
  arm_escalation(in.cfg, a, in.now);
  update(in, b, c, transition::escalated,
         {.text = a.reason + "; unanswered, escalated to level " +
                  std::to_string(a.escalation_level) + in.when(b)});
}

void reminder_due(instant& in, bed_state& b, condition_id c) {
  auto& a = *b.open[index(c)];
  a.remind_at.reset();
  if (a.state != alarm_state::acknowledged) return;
  a.state = alarm_state::active;
  arm_escalation(in.cfg, a, in.now);
  update(in, b, c, transition::reminded,
         {.text = a.reason + "; still present " + text::seconds(in.cfg.ack_silence_ms) +
                  " s after acknowledgement by " + a.acknowledged_by + in.when(b)});
}

}  // namespace vigil::core::detail
