package io.artsore.e2e.loadgen;

import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Drains a response body and yields only its length: downloads are counted, never kept. */
final class CountingBodyHandler implements BodyHandler<Long> {

    static final CountingBodyHandler INSTANCE = new CountingBodyHandler();

    @Override
    public BodySubscriber<Long> apply(ResponseInfo info) {
        return new Counter();
    }

    private static final class Counter implements BodySubscriber<Long> {
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private long count;

        @Override
        public CompletionStage<Long> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                count += b.remaining();
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(count);
        }
    }
}
