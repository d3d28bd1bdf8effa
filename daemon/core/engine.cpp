// Placeholder so other layers link while the engine is written (replaced shortly).
#include "core/engine.hpp"
namespace vigil::core {
struct engine::impl { engine_config cfg; engine_counters counters; };
std::string_view to_string(drop_reason) { return "unknown"; }
void engine_output::clear() { *this = {}; }
bool engine_output::empty() const { return events.empty() && alarms_changed.empty() && sessions_changed.empty() && diagnostics.empty(); }
engine::engine(engine_config cfg) : impl_(std::make_unique<impl>(impl{std::move(cfg), {}})) {}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;
void engine::on_heart_rate(std::string_view, const heart_rate&, time_ms, engine_output&) {}
void engine::on_blood_pressure(std::string_view, const blood_pressure&, time_ms, engine_output&) {}
void engine::on_monitor_status(std::string_view, const monitor_status&, time_ms, engine_output&) {}
void engine::on_infusion(std::string_view, const infusion_event&, time_ms, engine_output&) {}
void engine::on_ack(std::string_view, const alarm_ack&, time_ms, engine_output&) {}
void engine::advance(time_ms, engine_output&) {}
std::optional<time_ms> engine::next_deadline() const { return {}; }
session_state engine::session(std::string_view bed) const { session_state s; s.bed_id = bed; return s; }
active_alarms engine::active(std::string_view bed) const { active_alarms a; a.bed_id = bed; return a; }
std::vector<std::string> engine::beds() const { return {}; }
const engine_counters& engine::counters() const { return impl_->counters; }
const engine_config& engine::config() const { return impl_->cfg; }
}  // namespace vigil::core
