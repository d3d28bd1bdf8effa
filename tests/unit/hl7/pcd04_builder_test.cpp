// PCD-04 out: the ORU^R40 of an alarm's life, segment by segment. Every expected segment below
// was written by hand from shared/design/ihe-pcd.md section 4 and the TF's B.7.1 / B.8.5 (field
// positions counted on the TF's tables), not produced by the builder.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hl7/pcd04.hpp"

namespace vigil::hl7 {
namespace {

// 2026-12-01 10:41:20 UTC (date -u -d "2026-12-01 10:41:20" +%s).
constexpr std::int64_t onset_ms = 1796121680000;

std::vector<std::string> segments_of(const std::string& message) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < message.size()) {
    const auto end = message.find('\r', start);
    EXPECT_NE(end, std::string::npos) << "every segment ends with \\r";
    if (end == std::string::npos) break;
    out.push_back(message.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

core::alarm_event sbp_high() {
  core::alarm_event e;
  e.alarm_id = "chair-3:SBP_HIGH:1";
  e.event_seq = 12;
  e.bed_id = "chair-3";
  e.session_id = "s-1";
  e.condition = "SBP_HIGH";
  e.kind = core::alarm_kind::physiological;
  e.priority = core::priority::high;
  e.state = core::alarm_state::active;
  e.transition = core::transition::raised;
  e.value = 186;
  e.limit = 180;
  e.unit = "mm[Hg]";
  e.onset_ms = onset_ms;
  e.at_ms = onset_ms;
  e.phase = core::phase::infusion;
  e.text = "SBP 186 mmHg \xe2\x89\xa5 180 at 41:20 into infusion";
  return e;
}

pcd04_context context(std::int64_t packaging_ms, std::string control_id) {
  pcd04_context c;
  c.sending_application = {"VIGIL"};
  c.sending_facility = {"KETAMINE CLINIC"};
  c.receiving_application = {"AM"};
  c.receiving_facility = {"HOSP"};
  c.bed_location = location::from_text("3 WEST ICU^3001^1");
  c.control_id = std::move(control_id);
  c.packaging_ms = packaging_ms;
  return c;
}

const std::string obr_gap(22, '|');  // OBR-7 to OBR-29

TEST(pcd04_builder, RaisedSbpHighHigh) {
  const auto e = sbp_high();
  const auto segs = segments_of(build_oru_r40(e, context(onset_ms + 5, "chair-3.12")));
  const std::vector<std::string> expected = {
      "MSH|^~\\&|VIGIL|KETAMINE CLINIC|AM|HOSP|20261201104120.005+0000||ORU^R40^ORU_R40|"
      "chair-3.12|P|2.6|||AL|NE||UNICODE UTF-8|||"
      "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.4.1^ISO",
      "PV1||U|3 WEST ICU^3001^1",
      "OBR|1||chair-3:SBP_HIGH:1^VIGIL|196616^MDC_EVT_ALARM^MDC|||20261201104120.005+0000",
      "OBX|1|CWE|196648^MDC_EVT_HI^MDC|1.0.0.0.1|196648^MDC_EVT_HI^MDC^SBP_HIGH^^99VIGIL||||||F|||"
      "20261201104120.000+0000",
      "OBX|2|ST|0^MDCX_ATTR_ALERT_ANNOTATION^MDC|1.0.0.0.1.1|"
      "SBP 186 mmHg \xe2\x89\xa5 180 at 41:20 into infusion||||||F",
      "OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.0.0.2|186|"
      "266016^MDC_DIM_MMHG^MDC^mm[Hg]^mm[Hg]^UCUM|<180||||F",
      "OBX|4|ST|68481^MDC_ATTR_EVENT_PHASE^MDC|1.0.0.0.3|start||||||F",
      "OBX|5|ST|68482^MDC_ATTR_ALARM_STATE^MDC|1.0.0.0.4|active||||||F",
      "OBX|6|ST|68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC|1.0.0.0.5|enabled||||||F",
      "OBX|7|ST|68484^MDC_ATTR_ALARM_PRIORITY^MDC|1.0.0.0.6|PH||||||F",
      "OBX|8|ST|68485^MDC_ATTR_ALERT_TYPE^MDC|1.0.0.0.7|SP||||||F",
  };
  EXPECT_EQ(segs, expected);
}

TEST(pcd04_builder, ItsAcknowledgementWithTextToEscape) {
  auto e = sbp_high();
  e.event_seq = 14;
  e.state = core::alarm_state::acknowledged;
  e.transition = core::transition::acknowledged;
  e.value.reset();
  e.limit.reset();
  e.at_ms = onset_ms + 100'000;  // 10:43:00
  e.acknowledged_by = "nurse|station^2 ~R&D\\";
  e.text = "SBP high; acknowledged by nurse|station^2 ~R&D\\";
  auto ctx = context(onset_ms + 100'002, "chair-3.14");
  ctx.bed_location = {"ICU & Recovery", "3001", "1", ""};
  const auto segs = segments_of(build_oru_r40(e, ctx));
  const std::vector<std::string> expected = {
      "MSH|^~\\&|VIGIL|KETAMINE CLINIC|AM|HOSP|20261201104300.002+0000||ORU^R40^ORU_R40|"
      "chair-3.14|P|2.6|||AL|NE||UNICODE UTF-8|||"
      "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.4.1^ISO",
      "PV1||U|ICU \\T\\ Recovery^3001^1",
      "OBR|1||chair-3:SBP_HIGH:1.14^VIGIL|196616^MDC_EVT_ALARM^MDC|||20261201104300.002+0000" +
          obr_gap + "^chair-3:SBP_HIGH:1&VIGIL",
      "OBX|1|CWE|196648^MDC_EVT_HI^MDC|1.0.0.0.1|196648^MDC_EVT_HI^MDC^SBP_HIGH^^99VIGIL||||||F|||"
      "20261201104300.000+0000",
      "OBX|2|ST|0^MDCX_ATTR_ALERT_ANNOTATION^MDC|1.0.0.0.1.1|"
      "SBP high; acknowledged by nurse\\F\\station\\S\\2 \\R\\R\\T\\D\\E\\||||||F",
      "OBX|3||150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.0.0.2|||||||F",
      "OBX|4|ST|68481^MDC_ATTR_EVENT_PHASE^MDC|1.0.0.0.3|acknowledged||||||F",
      "OBX|5|ST|68482^MDC_ATTR_ALARM_STATE^MDC|1.0.0.0.4|active||||||F",
      "OBX|6|ST|68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC|1.0.0.0.5|alert-acknowledged||||||F",
      "OBX|7|ST|68484^MDC_ATTR_ALARM_PRIORITY^MDC|1.0.0.0.6|PH||||||F",
      "OBX|8|ST|68485^MDC_ATTR_ALERT_TYPE^MDC|1.0.0.0.7|SP||||||F",
  };
  EXPECT_EQ(segs, expected);
}

TEST(pcd04_builder, ItsEnd) {
  auto e = sbp_high();
  e.event_seq = 15;
  e.state = core::alarm_state::ended;
  e.transition = core::transition::ended;
  e.value = 150;
  e.at_ms = onset_ms + 350'000;  // 10:47:10
  e.acknowledged_by = "kim";
  e.text = "SBP 150 mmHg back below 180";
  const auto segs = segments_of(build_oru_r40(e, context(onset_ms + 350'000, "chair-3.15")));
  ASSERT_EQ(segs.size(), 11u);
  EXPECT_EQ(segs[2], "OBR|1||chair-3:SBP_HIGH:1.15^VIGIL|196616^MDC_EVT_ALARM^MDC|||" +
                         std::string("20261201104710.000+0000") + obr_gap +
                         "^chair-3:SBP_HIGH:1&VIGIL");
  EXPECT_EQ(
      segs[3],
      "OBX|1|CWE|196648^MDC_EVT_HI^MDC|1.0.0.0.1|196648^MDC_EVT_HI^MDC^SBP_HIGH^^99VIGIL||||||"
      "F|||20261201104710.000+0000");
  EXPECT_EQ(segs[5],
            "OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.0.0.2|150|"
            "266016^MDC_DIM_MMHG^MDC^mm[Hg]^mm[Hg]^UCUM|<180||||F");
  EXPECT_EQ(segs[6], "OBX|4|ST|68481^MDC_ATTR_EVENT_PHASE^MDC|1.0.0.0.3|end||||||F");
  EXPECT_EQ(segs[7], "OBX|5|ST|68482^MDC_ATTR_ALARM_STATE^MDC|1.0.0.0.4|inactive||||||F");
  EXPECT_EQ(segs[8],
            "OBX|6|ST|68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC|1.0.0.0.5|enabled||||||F");
  EXPECT_EQ(segs[9], "OBX|7|ST|68484^MDC_ATTR_ALARM_PRIORITY^MDC|1.0.0.0.6|PH||||||F");
}

TEST(pcd04_builder, TechnicalHrSignalLost) {
  core::alarm_event e;
  e.alarm_id = "chair-3:HR_SIGNAL_LOST:1";
  e.event_seq = 20;
  e.bed_id = "chair-3";
  e.condition = "HR_SIGNAL_LOST";
  e.kind = core::alarm_kind::technical;
  e.priority = core::priority::medium;
  e.state = core::alarm_state::active;
  e.transition = core::transition::raised;
  e.onset_ms = 1796119920000;  // 2026-12-01 10:12:00 UTC
  e.at_ms = e.onset_ms;
  e.text = "No valid HR for 10 s";
  const auto segs = segments_of(build_oru_r40(e, context(e.at_ms, "chair-3.20")));
  const std::vector<std::string> expected = {
      "MSH|^~\\&|VIGIL|KETAMINE CLINIC|AM|HOSP|20261201101200.000+0000||ORU^R40^ORU_R40|"
      "chair-3.20|P|2.6|||AL|NE||UNICODE UTF-8|||"
      "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.4.1^ISO",
      "PV1||U|3 WEST ICU^3001^1",
      "OBR|1||chair-3:HR_SIGNAL_LOST:1^VIGIL|196616^MDC_EVT_ALARM^MDC|||20261201101200.000+0000",
      "OBX|1|CWE|196616^MDC_EVT_ALARM^MDC|1.0.0.0.1|"
      "196616^MDC_EVT_ALARM^MDC^HR_SIGNAL_LOST^^99VIGIL||||||F|||20261201101200.000+0000",
      "OBX|2|ST|0^MDCX_ATTR_ALERT_ANNOTATION^MDC|1.0.0.0.1.1|No valid HR for 10 s||||||F",
      "OBX|3|CWE|68480^MDC_ATTR_ALERT_SOURCE^MDC|1.0.0.0.2|147842^MDC_ECG_HEART_RATE^MDC||||||F",
      "OBX|4|ST|68481^MDC_ATTR_EVENT_PHASE^MDC|1.0.0.0.3|start||||||F",
      "OBX|5|ST|68482^MDC_ATTR_ALARM_STATE^MDC|1.0.0.0.4|active||||||F",
      "OBX|6|ST|68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC|1.0.0.0.5|enabled||||||F",
      "OBX|7|ST|68484^MDC_ATTR_ALARM_PRIORITY^MDC|1.0.0.0.6|PM||||||F",
      "OBX|8|ST|68485^MDC_ATTR_ALERT_TYPE^MDC|1.0.0.0.7|ST||||||F",
  };
  EXPECT_EQ(segs, expected);
}

}  // namespace
}  // namespace vigil::hl7
