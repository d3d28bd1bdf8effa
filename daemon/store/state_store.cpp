#include "store/state_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "codec/codec.hpp"
#include "core/conditions.hpp"
#include "store/state.pb.h"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;
namespace pb = vigil::state::v1;
using core::condition_id;

constexpr std::string_view magic = "VIGILST1";
constexpr std::size_t header_size = magic.size() + 8;  // magic, u32 length, u32 crc32

// Format 2: a header page (magic, u32 slot size, u32 crc32 of those 12 bytes, zeros), then two
// slots, each a u64 sequence number, a u32 crc32 of that number and the record, and the record.
constexpr std::string_view magic2 = "VIGILST2";
constexpr std::size_t page = 4096;
constexpr std::size_t slot_header = 12;
constexpr std::size_t max_slot = std::size_t{64} << 20;  // no bed's state comes near

std::optional<condition_id> condition_named(std::string_view name) {
  for (std::size_t i = 0; i < core::condition_count; ++i) {
    const auto c = static_cast<condition_id>(i);
    if (core::info(c).name == name) return c;
  }
  return std::nullopt;
}

void put_u32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint32_t get_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]))
         << (8 * i);
  return v;
}
std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}
void put_u64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_u64(const std::string& s, std::size_t at) {
  return static_cast<std::uint64_t>(get_u32(s, at)) |
         (static_cast<std::uint64_t>(get_u32(s, at + 4)) << 32);
}

// A slot: sequence number, crc32 over it and the record, the record.
std::uint32_t slot_crc(std::uint64_t seq, std::string_view record) {
  std::string seq_bytes;
  put_u64(seq_bytes, seq);
  boost::crc_32_type crc;
  crc.process_bytes(seq_bytes.data(), seq_bytes.size());
  crc.process_bytes(record.data(), record.size());
  return crc.checksum();
}
std::string slot_bytes(std::uint64_t seq, const std::string& record) {
  std::string out;
  put_u64(out, seq);
  put_u32(out, slot_crc(seq, record));
  return out + record;
}

struct slot_view {
  bool empty = false;        // never written (all zeros)
  std::string damage;        // why it is not intact; empty if intact
  std::uint64_t seq = 0;
  std::string record;
};

slot_view read_slot(const std::string& file, std::size_t at, std::size_t size) {
  slot_view v;
  const std::string_view bytes(file.data() + at, size);
  if (bytes.find_first_not_of('\0') == std::string_view::npos) {
    v.empty = true;
    v.damage = "empty";
    return v;
  }
  const std::size_t rec = at + slot_header;
  if (file.compare(rec, magic.size(), magic) != 0) {
    v.damage = "no record";
    return v;
  }
  const std::size_t length = get_u32(file, rec + magic.size());
  if (length > size - slot_header - header_size) {
    v.damage = "record longer than its slot";
    return v;
  }
  v.record = file.substr(rec, header_size + length);
  v.seq = get_u64(file, at);
  if (slot_crc(v.seq, v.record) != get_u32(file, at + 8)) v.damage = "checksum mismatch";
  return v;
}

void to_pb(const core::nibp_sample& s, pb::Nibp& out) {
  out.set_at_ms(s.at);
  out.set_systolic_mmhg(s.systolic);
  out.set_diastolic_mmhg(s.diastolic);
}
core::nibp_sample from_pb(const pb::Nibp& n) {
  return {n.at_ms(), n.systolic_mmhg(), n.diastolic_mmhg()};
}

std::string errno_text(const std::string& what, const fs::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

// Opens `path` with `flags`, writes the bytes at `at` and syncs them: fdatasync when
// `data_only` (the blocks exist, no metadata a reader needs changes), fsync otherwise.
std::optional<std::string> write_synced(const fs::path& path, int flags, off_t at,
                                        const std::string& bytes, bool data_only) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | flags, 0600);
  if (fd < 0) return errno_text(flags & O_CREAT ? "cannot create" : "cannot open", path);
  auto fail = [&](const char* what) {
    auto err = errno_text(what, path);
    ::close(fd);
    return err;
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                               at + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write");
    done += static_cast<std::size_t>(n);
  }
  if ((data_only ? ::fdatasync(fd) : ::fsync(fd)) != 0)
    return fail(data_only ? "cannot fdatasync" : "cannot fsync");
  ::close(fd);
  return std::nullopt;
}

}  // namespace

state_store::state_store(fs::path dir) : dir_(std::move(dir)), beds_(dir_ / "beds") {
  fs::create_directories(beds_);
}

std::string state_store::serialize(const core::bed_state& b) {
  pb::BedState m;
  m.set_id(b.id);
  m.set_phase(static_cast<std::uint32_t>(b.phase));
  m.set_session_id(b.session_id);
  m.set_started_at_ms(b.started_at);
  m.set_planned_minutes(b.planned_minutes);
  m.set_paused(b.paused);
  m.set_stopped_at_ms(b.stopped_at);
  m.set_recovery_ends_at_ms(b.recovery_ends_at);
  m.set_planned_notice_due(b.planned_notice_due);
  if (b.baseline) to_pb(*b.baseline, *m.mutable_baseline());
  if (b.last_valid_hr) m.set_last_valid_hr_ms(*b.last_valid_hr);
  if (b.last_nibp) to_pb(*b.last_nibp, *m.mutable_last_nibp());
  m.set_monitor(static_cast<std::uint32_t>(b.monitor));
  for (std::size_t i = 0; i < b.open.size(); ++i) {
    if (!b.open[i]) continue;
    const auto& a = *b.open[i];
    auto* o = m.add_open();
    o->set_condition(std::string(core::info(static_cast<condition_id>(i)).name));
    o->set_id(a.id);
    o->set_priority(static_cast<std::uint32_t>(a.priority));
    o->set_state(static_cast<std::uint32_t>(a.state));
    o->set_onset_ms(a.onset_ms);
    o->set_escalation_level(a.escalation_level);
    o->set_acknowledged_by(a.acknowledged_by);
    o->set_ever_acknowledged(a.ever_acknowledged);
    if (a.escalate_at) o->set_escalate_at_ms(*a.escalate_at);
    if (a.remind_at) o->set_remind_at_ms(*a.remind_at);
    o->set_last_event(codec::encode(a.last));
    o->set_reason(a.reason);
  }
  for (std::size_t i = 0; i < b.episodes.size(); ++i)
    if (b.episodes[i] != 0)
      (*m.mutable_episodes())[std::string(core::info(static_cast<condition_id>(i)).name)] =
          b.episodes[i];
  m.set_event_seq(b.event_seq);
  m.set_session_changed_at_ms(b.session_changed_at);
  m.set_alarms_changed_at_ms(b.alarms_changed_at);

  std::string payload;
  // Deterministic so that the same state gives the same file (maps are otherwise unordered).
  {
    google::protobuf::io::StringOutputStream raw(&payload);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  std::string file(magic);
  put_u32(file, static_cast<std::uint32_t>(payload.size()));
  put_u32(file, crc32(payload));
  return file + payload;
}

namespace {
std::optional<core::bed_state> parse_record(const std::string& bytes, std::string& error) {
  if (bytes.size() < header_size || bytes.compare(0, magic.size(), magic) != 0) {
    error = "not a vigild state file (bad magic or shorter than its header)";
    return std::nullopt;
  }
  const std::uint32_t length = get_u32(bytes, magic.size());
  if (bytes.size() - header_size != length) {
    error = "length " + std::to_string(length) + " does not match the " +
            std::to_string(bytes.size() - header_size) + " bytes present";
    return std::nullopt;
  }
  const std::string_view payload(bytes.data() + header_size, length);
  if (crc32(payload) != get_u32(bytes, magic.size() + 4)) {
    error = "checksum mismatch";
    return std::nullopt;
  }
  pb::BedState m;
  if (!m.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    error = "undecodable state record";
    return std::nullopt;
  }
  core::bed_state b;
  b.id = m.id();
  b.phase = static_cast<core::phase>(m.phase());
  b.session_id = m.session_id();
  b.started_at = m.started_at_ms();
  b.planned_minutes = m.planned_minutes();
  b.paused = m.paused();
  b.stopped_at = m.stopped_at_ms();
  b.recovery_ends_at = m.recovery_ends_at_ms();
  b.planned_notice_due = m.planned_notice_due();
  if (m.has_baseline()) b.baseline = from_pb(m.baseline());
  if (m.has_last_valid_hr_ms()) b.last_valid_hr = m.last_valid_hr_ms();
  if (m.has_last_nibp()) b.last_nibp = from_pb(m.last_nibp());
  b.monitor = static_cast<core::monitor_state>(m.monitor());
  if (m.phase() > static_cast<std::uint32_t>(core::phase::recovery) ||
      m.monitor() > static_cast<std::uint32_t>(core::monitor_state::offline)) {
    error = "phase or monitor state out of range";
    return std::nullopt;
  }
  for (const auto& o : m.open()) {
    const auto c = condition_named(o.condition());
    if (!c || core::index(*c) >= core::alarm_condition_count) {
      error = "unknown alarm condition '" + o.condition() + "'";
      return std::nullopt;
    }
    auto last = codec::decode_alarm_event(o.last_event());
    if (!last) {
      error = "open alarm " + o.id() + ": " + last.error();
      return std::nullopt;
    }
    core::open_alarm a;
    a.id = o.id();
    a.priority = static_cast<core::priority>(o.priority());
    a.state = static_cast<core::alarm_state>(o.state());
    a.onset_ms = o.onset_ms();
    a.escalation_level = o.escalation_level();
    a.acknowledged_by = o.acknowledged_by();
    a.ever_acknowledged = o.ever_acknowledged();
    if (o.has_escalate_at_ms()) a.escalate_at = o.escalate_at_ms();
    if (o.has_remind_at_ms()) a.remind_at = o.remind_at_ms();
    a.last = std::move(last).value();
    a.reason = o.reason();
    b.open[core::index(*c)] = std::move(a);
  }
  for (const auto& [name, n] : m.episodes()) {
    const auto c = condition_named(name);
    if (!c) {
      error = "unknown condition '" + name + "' in episode counters";
      return std::nullopt;
    }
    b.episodes[core::index(*c)] = n;
  }
  b.event_seq = m.event_seq();
  b.session_changed_at = m.session_changed_at_ms();
  b.alarms_changed_at = m.alarms_changed_at_ms();
  return b;
}

// A whole file of either format; the last three get a format-2 file's slot state (slot_size 0 for
// format 1).
std::optional<core::bed_state> parse_file(const std::string& bytes, std::string& error,
                                          std::string& warning, std::uint32_t& slot_size,
                                          int& newest, std::uint64_t& seq) {
  slot_size = 0;
  if (bytes.compare(0, magic2.size(), magic2) != 0) return parse_record(bytes, error);
  if (bytes.size() < page || crc32(std::string_view(bytes.data(), 12)) != get_u32(bytes, 12)) {
    error = "damaged header";
    return std::nullopt;
  }
  const std::size_t size = get_u32(bytes, magic2.size());
  if (size < page || size % page != 0 || size > max_slot) {
    error = "slot size " + std::to_string(size) + " out of range";
    return std::nullopt;
  }
  if (bytes.size() != page + 2 * size) {
    error = "size " + std::to_string(bytes.size()) + " is not 4096 + 2 x slot size " +
            std::to_string(size);
    return std::nullopt;
  }
  const slot_view s[2] = {read_slot(bytes, page, size), read_slot(bytes, page + size, size)};
  const bool ok0 = s[0].damage.empty(), ok1 = s[1].damage.empty();
  if (!ok0 && !ok1) {
    error = "no intact slot (slot 0: " + s[0].damage + "; slot 1: " + s[1].damage + ")";
    return std::nullopt;
  }
  const int use = ok0 && ok1 ? (s[1].seq > s[0].seq ? 1 : 0) : (ok0 ? 0 : 1);
  const slot_view& other = s[1 - use];
  if (!other.empty && !other.damage.empty())
    warning = "slot " + std::to_string(1 - use) + " not intact (" + other.damage +
              ": a save cut off by a crash?); restored from slot " + std::to_string(use) +
              ", save " + std::to_string(s[use].seq);
  slot_size = static_cast<std::uint32_t>(size);
  newest = use;
  seq = s[use].seq;
  return parse_record(s[use].record, error);
}
}  // namespace

std::optional<core::bed_state> state_store::parse(const std::string& bytes, std::string& error) {
  std::string warning;
  std::uint32_t slot_size = 0;
  int newest = 0;
  std::uint64_t seq = 0;
  return parse_file(bytes, error, warning, slot_size, newest, seq);
}

std::optional<std::string> state_store::save(const core::bed_state& bed) {
  auto errors = save_all({{bed.id, serialize(bed)}});
  if (errors.empty()) return std::nullopt;
  return std::move(errors.front());
}

std::optional<std::string> state_store::save_in_place(const serialized_bed& bed, slots& where) {
  const int target = 1 - where.newest;
  const std::string bytes = slot_bytes(where.seq + 1, bed.bytes);
  const fs::path path = bed_path(bed.id);
  const auto at = static_cast<off_t>(page + static_cast<std::size_t>(target) * where.slot_size);
  // On failure `where` still names the intact slot, which the next save leaves alone.
  if (auto err = write_synced(path, 0, at, bytes, true)) return err;
  where.newest = target;
  ++where.seq;
  return std::nullopt;
}

// Beds with a format-2 file whose slots fit: one slot overwritten and synced each. The others
// (new beds, format-1 files, records grown past their slot): a new file each, written and
// fsynced, renamed over the old one, then one directory fsync for all of them.
std::vector<std::string> state_store::save_all(const std::vector<serialized_bed>& group) {
  std::vector<std::string> errors;
  struct made {
    const serialized_bed* bed;
    std::uint32_t slot_size;
  };
  std::vector<made> written;
  for (const auto& bed : group) {
    auto it = slots_.find(bed.id);
    if (it != slots_.end() && slot_header + bed.bytes.size() <= it->second.slot_size) {
      if (auto e = save_in_place(bed, it->second)) errors.push_back(std::move(*e));
      continue;
    }
    // Room for two records of this size per slot before the file must be made again.
    const std::size_t need = 2 * (slot_header + bed.bytes.size());
    const std::size_t slot_size = std::max(page, (need + page - 1) / page * page);
    std::string file(magic2);
    put_u32(file, static_cast<std::uint32_t>(slot_size));
    put_u32(file, crc32(file));
    file.resize(page, '\0');
    file += slot_bytes(1, bed.bytes);
    file.resize(page + 2 * slot_size, '\0');  // written zeros: later saves change no metadata
    if (auto e = write_synced(tmp_path(bed.id), O_CREAT | O_TRUNC, 0, file, false)) {
      errors.push_back(std::move(*e));
    } else {
      written.push_back({&bed, static_cast<std::uint32_t>(slot_size)});
    }
  }
  bool renamed = false;
  for (const auto& w : written) {
    const auto tmp = tmp_path(w.bed->id);
    if (::rename(tmp.c_str(), bed_path(w.bed->id).c_str()) != 0) {
      errors.push_back(errno_text("cannot rename", tmp));
      slots_.erase(w.bed->id);  // whatever file is there, make a new one next time
      continue;
    }
    slots_[w.bed->id] = {w.slot_size, 0, 1};
    renamed = true;
  }
  if (renamed) {
    const int dfd = ::open(beds_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || ::fsync(dfd) != 0) errors.push_back(errno_text("cannot fsync", beds_));
    if (dfd >= 0) ::close(dfd);
  }
  return errors;
}

fs::path state_store::bed_path(const std::string& id) const {
  return beds_ / ("bed-" + id + ".state");
}
fs::path state_store::tmp_path(const std::string& id) const {
  return beds_ / ("bed-" + id + ".state.tmp");
}

load_report state_store::load_all() {
  load_report report;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(beds_)) {
    const auto& p = entry.path();
    if (p.extension() == ".tmp") {  // a write cut off before its rename: the old file stands
      std::error_code ec;
      fs::remove(p, ec);
      continue;
    }
    if (p.extension() == ".state") files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string error, warning;
    std::optional<core::bed_state> bed;
    slots where;
    if (!in) error = "unreadable";
    else bed = parse_file(buf.str(), error, warning, where.slot_size, where.newest, where.seq);
    if (bed && p != bed_path(bed->id)) {
      error = "holds bed '" + bed->id + "', which is not the bed its name says";
      bed.reset();
    }
    if (bed) {
      if (!warning.empty()) report.warnings.push_back(p.string() + ": " + warning);
      if (where.slot_size != 0) slots_[bed->id] = where;
      else slots_.erase(bed->id);  // format 1: the next save makes a format-2 file
      report.beds.push_back(std::move(*bed));
      continue;
    }
    const auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const fs::path aside = dir_ / "corrupt" / (p.filename().string() + "." + std::to_string(stamp));
    std::error_code ec;
    fs::create_directories(aside.parent_path(), ec);
    fs::rename(p, aside, ec);
    report.problems.push_back(p.string() + ": " + error + (ec ? "; could not move it aside: " +
                                                                    ec.message()
                                                              : "; moved to " + aside.string()));
  }
  return report;
}

}  // namespace vigil::store
