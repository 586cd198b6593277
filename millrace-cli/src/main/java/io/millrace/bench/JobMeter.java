package io.millrace.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** CPU time and peak heap of this JVM (which runs the measured jobs) from its creation on, heap sampled on demand. */
public final class JobMeter {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long cpuBefore;
    private long peakHeap;

    /** Starts measuring after a collection, so the previous run's garbage does not count as this one's heap. */
    public JobMeter() {
        System.gc();
        cpuBefore = os.getProcessCpuTime();
    }

    /** Takes one heap reading. */
    public void sampleHeap() {
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
    }

    public double cpuSeconds() {
        return (os.getProcessCpuTime() - cpuBefore) / 1e9;
    }

    public double peakHeapMb() {
        return peakHeap / 1e6;
    }
}
