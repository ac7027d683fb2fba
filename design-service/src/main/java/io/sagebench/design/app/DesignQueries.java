package io.sagebench.design.app;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.sagebench.design.repository.DesignEntity;
import io.sagebench.design.repository.RunEntity;

/** What the REST reads show: stored designs and their runs. */
@ApplicationScoped
public class DesignQueries {

    @Transactional
    public DesignEntity find(String designId) {
        return DesignEntity.findById(designId);
    }

    @Transactional
    public List<RunEntity> runsOf(String designId) {
        return RunEntity.ofDesign(designId);
    }

    @Transactional
    public List<DesignEntity> list() {
        return DesignEntity.list("order by createdAt desc");
    }
}
