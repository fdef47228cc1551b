#include <iostream>

int main() {
    std::cerr << "berth: no verbs yet\n";
    return 1;
}
