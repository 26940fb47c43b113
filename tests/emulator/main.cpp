// Placeholder until the emulator lands (issue 3).
int main() { return 0; }
