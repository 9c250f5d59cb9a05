// Linked with one layer's whole library and only the layers below it (CMakeLists.txt), so that
// a call from a layer into one above it fails to link.
int main() { return 0; }
