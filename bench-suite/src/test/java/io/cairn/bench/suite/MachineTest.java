package io.cairn.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void cpuModelIsTheFirstModelName() {
        assertThat(Machine.cpuModel(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD",
                "model name\t: AMD EPYC 7B13", "model name\t: other"))).isEqualTo("AMD EPYC 7B13");
        assertThat(Machine.cpuModel(List.of("processor : 0"))).isEqualTo("unknown");
    }

    @Test
    void memTotalIsInBytes() {
        assertThat(Machine.memTotal(List.of("MemFree:  1 kB", "MemTotal:       24554020 kB"))).isEqualTo(24554020L * 1024);
        assertThat(Machine.memTotal(List.of("MemTotal: lots kB"))).isZero();
        assertThat(Machine.memTotal(List.of())).isZero();
    }
}
