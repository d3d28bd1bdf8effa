// Decoding of the project's own .proto files (package vigil.v1) with protobufjs.
// Field names stay as the contract spells them (keepCase). Enum values come out as the
// contract's bare words ('HIGH', 'ACKNOWLEDGED'): the protobuf-style type prefix
// ('PRIORITY_') is whatever the .proto files use, so it is found, not assumed.
import protobuf from 'protobufjs';

const package_name = 'vigil.v1';

// files: { 'name.proto': 'text' }. All files go into one root, so imports between them
// resolve by name without a loader.
export function load_schema(files) {
  const root = new protobuf.Root();
  for (const text of Object.values(files)) protobuf.parse(text, root, { keepCase: true });
  root.resolveAll();
  return root;
}

const prefixes = new WeakMap();

// The longest run of whole '_'-separated words shared by every value name of the enum.
function enum_prefix(en) {
  if (!prefixes.has(en)) {
    const names = Object.keys(en.values);
    let prefix = names.length > 1 ? names[0] : '';
    for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
    prefixes.set(en, prefix.slice(0, prefix.lastIndexOf('_') + 1));
  }
  return prefixes.get(en);
}

export function enum_word(en, number) {
  const name = en.valuesById[number];
  return name === undefined ? `UNKNOWN_${number}` : name.slice(enum_prefix(en).length);
}

// The full value name for a bare word: what a sender puts on the wire.
export function enum_value(en, word) {
  const value = en.values[enum_prefix(en) + word];
  if (value === undefined) throw new Error(`${en.name} has no value ${word}`);
  return value;
}

function words(type, obj) {
  for (const field of type.fieldsArray) {
    const v = obj[field.name];
    if (v === undefined || v === null) continue;
    const rt = field.resolvedType;
    const one = rt instanceof protobuf.Enum ? (x) => enum_word(rt, x)
      : rt instanceof protobuf.Type ? (x) => words(rt, x) : null;
    if (one) obj[field.name] = field.repeated ? v.map(one) : one(v);
  }
  return obj;
}

export function make_codec(root) {
  const type = (name) => root.lookupType(`${package_name}.${name}`);
  return {
    type,
    // Plain object; int64 as Number (Unix ms fit exactly); absent optional fields stay absent.
    decode(name, bytes) {
      const t = type(name);
      return words(t, t.toObject(t.decode(bytes), { longs: Number, enums: Number, defaults: true }));
    },
    encode(name, obj) {
      const t = type(name);
      return t.encode(t.fromObject(obj)).finish();
    },
  };
}
