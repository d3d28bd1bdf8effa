// Field-by-field equality of settings for the tests. core's config structs have no
// operator== yet; once they default one, this collapses to `a == b`.
#pragma once

#include <tuple>

#include "settings/settings.hpp"

namespace vigil::settings::test {

inline auto fields(const core::threshold& t) { return std::tie(t.medium, t.high); }

inline auto fields(const core::phase_config& p) {
  return std::tuple_cat(
      std::tie(p.limits),
      std::tie(p.hr_hysteresis, p.pressure_hysteresis, p.continuous_persistence_ms,
               p.nibp_persistence_ms, p.continuous_clear_delay_ms, p.nibp_clear_delay_ms,
               p.hr_stale_ms, p.nibp_interval_ms));
}

inline auto fields(const core::plausible_range& r) { return std::tie(r.min, r.max); }

inline bool same(const core::engine_config& a, const core::engine_config& b) {
  for (std::size_t i = 0; i < a.phases.size(); ++i)
    if (fields(a.phases[i]) != fields(b.phases[i])) return false;
  auto rest = [](const core::engine_config& c) {
    return std::tuple_cat(
        std::tie(c.nibp_grace_ms, c.infusion_min_ms, c.infusion_max_ms, c.recovery_ms,
                 c.baseline_lookback_ms, c.baseline_elevated_systolic,
                 c.baseline_elevated_diastolic, c.ack_silence_ms, c.escalate_medium_ms,
                 c.escalate_high_ms, c.escalation_max_level),
        fields(c.hr_plausible), fields(c.sbp_plausible), fields(c.dbp_plausible),
        fields(c.map_plausible));
  };
  return rest(a) == rest(b);
}

inline bool same(const daemon_settings& a, const daemon_settings& b) {
  auto rest = [](const daemon_settings& s) {
    const auto& m = s.mqtt;
    return std::tie(m.broker_uri, m.client_id, m.prefix, m.instance, m.keepalive_s,
                    m.session_expiry_s, m.reconnect_min_s, m.reconnect_max_s, m.credentials_file,
                    m.tls_ca_file, m.tls_cert_file, m.tls_key_file, s.log_level, s.state_dir,
                    s.recording.enabled, s.recording.dir, s.status_interval_ms, s.store.url,
                    s.store.credentials_file);
  };
  return rest(a) == rest(b) && same(a.engine, b.engine);
}

}  // namespace vigil::settings::test
