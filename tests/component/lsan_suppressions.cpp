// LeakSanitizer (asan preset): Paho MQTT C++ 1.2 leaks the property array of every copy of an
// mqtt::connect_options holding MQTT 5 properties (MQTTProperties_copy; a three-line program
// reproduces it). In vigild, Paho C's own heap tracking keeps those blocks reachable; here, with
// no real client, LSan reports them. Suppressed by library: the default unwinder stops inside
// Paho's malloc wrapper, so a function name would never match. Unused in other builds.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libpaho-mqtt3as.so.1\n"; }
