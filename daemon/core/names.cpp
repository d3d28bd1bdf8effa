#include "core/names.hpp"

namespace vigil::core {

std::string_view name(priority p) {
  switch (p) {
    case priority::low: return "LOW";
    case priority::medium: return "MEDIUM";
    case priority::high: return "HIGH";
    case priority::unspecified: break;
  }
  return "?";
}

std::string_view name(transition t) {
  switch (t) {
    case transition::raised: return "RAISED";
    case transition::escalated: return "ESCALATED";
    case transition::acknowledged: return "ACKNOWLEDGED";
    case transition::reminded: return "REMINDED";
    case transition::latched: return "LATCHED";
    case transition::ended: return "ENDED";
    case transition::notice: return "NOTICE";
    case transition::unspecified: break;
  }
  return "?";
}

std::string_view name(phase p) {
  switch (p) {
    case phase::idle: return "IDLE";
    case phase::infusion: return "INFUSION";
    case phase::recovery: return "RECOVERY";
    case phase::unspecified: break;
  }
  return "?";
}

std::string_view name(alarm_state s) {
  switch (s) {
    case alarm_state::active: return "ACTIVE";
    case alarm_state::acknowledged: return "ACKNOWLEDGED";
    case alarm_state::latched: return "LATCHED";
    case alarm_state::ended: return "ENDED";
    case alarm_state::unspecified: break;
  }
  return "?";
}

}  // namespace vigil::core
