package com.amazonaws.services.lambda.runtime.events;

import java.util.List;
import java.util.Map;
import org.joda.time.DateTime;

public class ScheduledEvent {
    private String version;
    private String account;
    private String region;
    private Map<String, Object> detail;
    private String detailType;
    private String source;
    private String id;
    private DateTime time;
    private List<String> resources;

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getAccount() { return account; }
    public void setAccount(String account) { this.account = account; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public Map<String, Object> getDetail() { return detail; }
    public void setDetail(Map<String, Object> detail) { this.detail = detail; }
    public String getDetailType() { return detailType; }
    public void setDetailType(String detailType) { this.detailType = detailType; }
    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public DateTime getTime() { return time; }
    public void setTime(DateTime time) { this.time = time; }
    public List<String> getResources() { return resources; }
    public void setResources(List<String> resources) { this.resources = resources; }
}
