package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.pipeline.Pipelines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bench --architecture all}: a choice flag given as "all" becomes one variant per choice. */
class BenchVariantsTest {

    @Test
    void allStandsForEveryArchitectureInTheDocumentedOrder() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("output.kafka", "true");
        flags.put("architecture", "all");
        List<BenchCommand.Variant> variants = BenchCommand.variants(Pipelines.require("market"), flags);
        assertThat(variants).extracting(BenchCommand.Variant::label).containsExactly("unified", "staged", "dual");
        assertThat(variants.get(1).flags()).containsEntry("architecture", "staged").containsEntry("output.kafka", "true");
    }

    @Test
    void oneChoiceIsOneVariant() {
        List<BenchCommand.Variant> variants = BenchCommand.variants(Pipelines.require("market"),
                Map.of("architecture", "staged"));
        assertThat(variants).hasSize(1);
        assertThat(variants.get(0).flags()).containsEntry("architecture", "staged");
        assertThat(BenchCommand.variants(Pipelines.require("market"), Map.of())).extracting(BenchCommand.Variant::label)
                .containsExactly("market");
    }

    @Test
    void allOfASettingWithoutChoicesIsRefused() {
        assertThatThrownBy(() -> BenchCommand.variants(Pipelines.require("market"), Map.of("output.kafka", "all")))
                .isInstanceOf(UserError.class).hasMessageContaining("output.kafka");
    }
}
