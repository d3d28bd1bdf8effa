// ER7, HL7 v2's pipe-and-hat encoding: a message parsed into segments, fields, repetitions,
// components and subcomponents, with the delimiters read from MSH-1 and MSH-2. Pure.
//
// Values are kept raw (escaped) and unescaped on access, so a caller decides what is text.
// Numbering follows HL7: field 1 of MSH is the field separator itself, MSH-2 the encoding
// characters; every other segment's field n is the n-th after its name. Components and
// subcomponents are numbered from 1.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hl7 {

struct delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = '\0';  // v2.7's 5th encoding character, '\0' when absent
};

struct er7_error {
  std::string segment;    // segment id, or "" when the error is before any segment
  int segment_index = 0;  // 1-based position of the segment in the message
  int field = 0;          // 0 when the error is about the segment as a whole
  std::string text;
};

// One segment: its fields as raw text. fields[0] is the segment id; for MSH fields[1] is the
// field separator and fields[2] the encoding characters, as HL7 numbers them.
struct segment {
  std::vector<std::string_view> fields;

  std::string_view id() const { return fields.empty() ? std::string_view{} : fields[0]; }
  // Raw field n ("" when absent).
  std::string_view field(std::size_t n) const;
};

class message {
 public:
  const delimiters& delims() const { return delims_; }
  const std::vector<segment>& segments() const { return segments_; }
  const segment* find(std::string_view id) const;  // the first with that id

  // Raw repetitions of a field; one (possibly empty) when the field has no repetition mark.
  std::vector<std::string_view> repetitions(std::string_view field) const;
  // Raw component c (1-based) of a field or repetition ("" when absent).
  std::string_view component(std::string_view value, std::size_t c) const;
  // Raw subcomponent s (1-based) of a component ("" when absent).
  std::string_view subcomponent(std::string_view comp, std::size_t s) const;

  // Text with \F\ \S\ \T\ \R\ \E\ replaced by the delimiters they stand for; \Xhh..\, \H\,
  // \N\ (and any other escape) passed through as written. nullopt: an escape is not closed.
  std::optional<std::string> unescape(std::string_view raw) const;
  // Unescaped component c of field n's first repetition; "" for absent, bad escapes or "".
  std::string text(const segment& s, std::size_t n, std::size_t c = 1) const;
  // The field is HL7's explicit null: exactly "" (two double quotes).
  static bool is_null(std::string_view raw) { return raw == "\"\""; }
  // A raw value (field, repetition or component) rewritten for the standard delimiters
  // |^~\& (what an ACK uses): structure kept, text re-escaped. nullopt: a bad escape.
  std::optional<std::string> reencode(std::string_view raw) const;

 private:
  friend std::optional<er7_error> parse_er7(std::string_view, message&);
  std::shared_ptr<const std::string> text_;  // the message, shared; segments point into it
  delimiters delims_;
  std::vector<segment> segments_;
};

// Escapes text for the standard delimiters |^~\&: the inverse of unescape.
std::string escape_text(std::string_view text);

// Parses a whole message. Segments end with \r; a \n or \r\n is accepted as the end of a
// segment only where a segment may end (before the next segment's id or at the end), never
// inside a field. The first segment must be MSH with readable delimiters. On an error, `out`
// holds the segments read before it (so MSH-10 can still be echoed).
std::optional<er7_error> parse_er7(std::string_view text, message& out);

}  // namespace vigil::hl7
