package io.sagebench.platform.inbox;

import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;

/**
 * The failure strategy of every incoming Kafka channel ({@code failure-strategy=sagebench-triage}): a bad record is
 * dead-lettered to the channel's dead-letter topic with its reason, exactly as {@code dead-letter-queue} does; an
 * {@link InfrastructureFailure} (the database gone past {@link TransientRetry}'s budget, shutting down) is handled as
 * {@code fail}: the channel stops without acknowledging the record, the health check reports it, and Kafka
 * redelivers the record after the restart.
 */
@ApplicationScoped
@Identifier(TriageFailureHandler.STRATEGY)
public class TriageFailureHandler implements KafkaFailureHandler.Factory {
    public static final String STRATEGY = "sagebench-triage";
    private static final Logger LOG = Logger.getLogger(TriageFailureHandler.class);

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)
    KafkaFailureHandler.Factory deadLetterQueue;
    @Inject
    @Identifier(KafkaFailureHandler.Strategy.FAIL)
    KafkaFailureHandler.Factory fail;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
                                      KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler dlq = deadLetterQueue.create(config, vertx, consumer, reportFailure);
        KafkaFailureHandler stop = fail.create(config, vertx, consumer, reportFailure);
        String channel = config.getChannel();
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                if (InfrastructureFailure.in(reason)) {
                    LOG.errorf("%s: %s-%d@%d not acknowledged (%s); stopping the channel, Kafka redelivers it "
                            + "after the restart", channel, record.getTopic(), record.getPartition(),
                            record.getOffset(), reason.toString());
                    return stop.handle(record, reason, metadata);
                }
                return dlq.handle(record, reason, metadata);
            }

            @Override
            public void terminate() {
                dlq.terminate();
                stop.terminate();
            }
        };
    }
}
