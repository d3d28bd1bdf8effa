// PCD-01 (ORU^R01) reports written by tests, shaped like the IHE PCD TF's example E.1.1 (an
// MDS row with its EUI-64, the NIBP VMD/channel/metrics, the ECG HR), with values the test
// chooses, so expected readings are the test's own numbers, not the parser's output.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace vigil::test {

// DTM in UTC for a Unix time in ms: YYYYMMDDHHMMSS+0000.
inline std::string dtm(std::int64_t unix_ms) {
  const std::time_t t = unix_ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S+0000", &tm);
  return buf;
}

inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A PCD-01 report shaped like the IHE PCD TF's E.1.1 (MDS, NIBP VMD/channel/metrics, ECG HR),
// written here with values chosen by the test: NIBP sys/dia/mean at `nibp_at`, HR at OBR-7.
inline std::string pcd01(const std::string& control_id, const std::string& location, int sys,
                         int dia, int mean, int hr, std::int64_t nibp_at, std::int64_t at) {
  std::string m;
  m += "MSH|^~\\&|MONITOR_GW|ICU|VIGIL|HOSP|" + dtm(at) + "||ORU^R01^ORU_R01|" + control_id +
       "|P|2.6|||AL|NE||||||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r";
  m += "PID|||P123^^^^MR||Doe^Jane\r";
  m += "PV1||I|" + location + "\r";
  m += "OBR|1||" + control_id + "|69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|||" + dtm(at) + "\r";
  m += "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||"
       "0123456789ABCDEF^^0123456789ABCDEF^EUI-64\r";
  m += "OBX|2||70686^MDC_DEV_PRESS_BLD_NONINV_VMD^MDC|1.1.0.0|||||||X\r";
  m += "OBX|3||70687^MDC_DEV_PRESS_BLD_NONINV_CHAN^MDC|1.1.1.0|||||||X\r";
  m += "OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|" + std::to_string(sys) +
       "|266016^MDC_DIM_MMHG^MDC|||||R|||" + dtm(nibp_at) + "\r";
  m += "OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|" + std::to_string(dia) +
       "|266016^MDC_DIM_MMHG^MDC|||||R|||" + dtm(nibp_at) + "\r";
  m += "OBX|6|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|" + std::to_string(mean) +
       "|266016^MDC_DIM_MMHG^MDC|||||R|||" + dtm(nibp_at) + "\r";
  m += "OBX|7||4262^MDC_DEV_ECG_VMD^MDC|1.2.0.0|||||||X\r";
  m += "OBX|8||4263^MDC_DEV_ECG_CHAN^MDC|1.2.1.0|||||||X\r";
  m += "OBX|9|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|" + std::to_string(hr) +
       "|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r";
  return m;
}

}  // namespace vigil::test
