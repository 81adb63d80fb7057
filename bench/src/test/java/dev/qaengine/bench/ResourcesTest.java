package dev.qaengine.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourcesTest {
    @Test
    void busy_ticks_leave_out_idle_and_iowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] t = Resources.parseCpuLine("cpu  100 5 50 800 20 3 2 0 0 0");
        assertThat(t).containsExactly(160, 980);
    }

    @Test
    void thread_names_group_by_kind() {
        assertThat(Resources.group("Source: qa.events.raw (2/2)#0")).isEqualTo("Source: qa.events.raw (#/#)##");
        assertThat(Resources.group("kafka-producer-network-thread | producer-12")).isEqualTo("kafka-producer-network-thread | producer-#");
    }

    @Test
    void flink_task_threads_are_recognized_by_their_subtask_suffix() {
        assertThat(StackSampler.isTaskThread("normalize -> (qa.events.normalized: Writer, qa.events.dlq: Writer) (1/2)#0")).isTrue();
        assertThat(StackSampler.isTaskThread("Source: qa.events.raw (2/2)#0")).isTrue();
        assertThat(StackSampler.isTaskThread("Source Data Fetcher for Source: qa.events.raw (1/2)#0")).isFalse();
        assertThat(StackSampler.isTaskThread("OutputFlusher for Source: qa.events.raw (1/2)#0")).isFalse();
        assertThat(StackSampler.isTaskThread("kafka-producer-network-thread | producer-3")).isFalse();
    }
}
