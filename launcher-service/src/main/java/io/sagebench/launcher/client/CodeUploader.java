package io.sagebench.launcher.client;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.sagebench.launcher.config.LauncherConfig;
import io.sagebench.launcher.domain.SourceArchive;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts the content-addressed sourcedir.tar.gz into the code bucket before the first launch that needs it: HeadObject
 * first, PutObject only if missing, then remembered for the life of the process, so a thousand launches cost one
 * HeadObject and at most one PutObject. Without a code bucket there is nothing to upload.
 */
@ApplicationScoped
public class CodeUploader {
    private static final Logger LOG = Logger.getLogger(CodeUploader.class);

    @Inject
    S3Client s3;
    @Inject
    SourceArchive source;
    @Inject
    LauncherConfig config;

    private volatile boolean uploaded;

    /**
     * Makes sure the archive is in the code bucket. Throws the SDK's exception when S3 cannot be reached or refuses;
     * the caller treats that as a retryable launch failure.
     */
    public void ensureUploaded() {
        Optional<String> bucket = config.codeBucket().filter(b -> !b.isBlank());
        if (uploaded || bucket.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (uploaded) {
                return;
            }
            String key = source.key(config.codePrefix());
            if (!exists(bucket.get(), key)) {
                s3.putObject(b -> b.bucket(bucket.get()).key(key).contentType("application/gzip")
                        .contentLength((long) source.size()), RequestBody.fromBytes(source.bytes()));
                LOG.infof("uploaded the training code to s3://%s/%s (%d bytes)", bucket.get(), key, source.size());
            }
            uploaded = true;
        }
    }

    /** Checks the bucket again on the next launch (e.g. after a lifecycle rule may have removed the object). */
    public void forget() {
        uploaded = false;
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            // HEAD has no body, so a missing key arrives as a bare 404, or as 403 when the role may not list the
            // bucket; either way put it (same content under the same key, so a needless put changes nothing).
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                return false;
            }
            throw e;
        }
    }
}
