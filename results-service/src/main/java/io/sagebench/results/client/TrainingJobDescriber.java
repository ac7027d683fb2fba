package io.sagebench.results.client;

import io.sagebench.results.domain.JobDescription;
import io.sagebench.results.domain.StatusTransition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeTrainingJobResponse;
import software.amazon.awssdk.services.sagemaker.model.MetricData;
import software.amazon.awssdk.services.sagemaker.model.SecondaryStatusTransition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DescribeTrainingJob, turned into plain values for the domain. */
@ApplicationScoped
public class TrainingJobDescriber {

    @Inject
    SageMakerClient sageMaker;

    public JobDescription describe(String trainingJobName) {
        DescribeTrainingJobResponse r = sageMaker.describeTrainingJob(b -> b.trainingJobName(trainingJobName));
        return toDomain(r);
    }

    static JobDescription toDomain(DescribeTrainingJobResponse r) {
        List<StatusTransition> transitions = r.secondaryStatusTransitions().stream()
                .map(TrainingJobDescriber::transition).toList();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (MetricData m : r.finalMetricDataList()) {
            if (m.metricName() != null && m.value() != null) {
                metrics.put(m.metricName(), m.value().doubleValue());
            }
        }
        return new JobDescription(r.trainingJobName(), r.trainingJobStatusAsString(), r.secondaryStatusAsString(),
                r.failureReason(), toLong(r.trainingTimeInSeconds()), toLong(r.billableTimeInSeconds()),
                r.trainingEndTime(), r.lastModifiedTime(), transitions, metrics);
    }

    private static StatusTransition transition(SecondaryStatusTransition t) {
        return new StatusTransition(t.statusAsString(), t.startTime(), t.endTime());
    }

    private static Long toLong(Integer i) {
        return i == null ? null : i.longValue();
    }
}
