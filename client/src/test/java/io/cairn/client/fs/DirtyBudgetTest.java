package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DirtyBudgetTest {
    @Test
    void bytesAreTakenAndGivenBack() {
        DirtyBudget b = new DirtyBudget(100);
        assertThat(b.tryAcquire(60)).isTrue();
        assertThat(b.tryAcquire(50)).isFalse();
        assertThat(b.tryAcquire(40)).isTrue();
        assertThat(b.used()).isEqualTo(100);
        b.release(100);
        assertThat(b.used()).isZero();
    }

    @Test
    void oneRequestLargerThanTheLimitFitsWhenNothingElseIsHeld() {
        DirtyBudget b = new DirtyBudget(100);
        assertThat(b.tryAcquire(500)).isTrue();
        assertThat(b.tryAcquire(1)).isFalse();
    }

    @Test
    void aWriterWaitsUntilBytesAreGivenBack() throws Exception {
        DirtyBudget b = new DirtyBudget(100);
        b.tryAcquire(100);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                b.acquire(50, Duration.ofSeconds(30));
            } catch (CairnException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(waiting).isNotDone();
        b.release(60);
        waiting.get(30, TimeUnit.SECONDS);
        assertThat(b.used()).isEqualTo(90);
    }

    @Test
    void aWriterGivesUpAfterTheTimeout() {
        DirtyBudget b = new DirtyBudget(100);
        b.tryAcquire(100);
        assertThatThrownBy(() -> b.acquire(1, Duration.ofMillis(10)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    @Test
    void releasingMoreThanWasTakenIsABug() {
        DirtyBudget b = new DirtyBudget(100);
        assertThatThrownBy(() -> b.release(1)).isInstanceOf(IllegalStateException.class);
    }
}
