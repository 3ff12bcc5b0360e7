package io.tokenhub.deploy;

/** The five TokenHub services as the shared contract fixes them: image name and HTTP port. */
enum Component {
    GATEWAY("gateway-service", "gateway", 8080),
    ROUTING("routing-service", "routing", 8081),
    BILLING("billing-service", "billing", 8082),
    HEALTH_MONITOR("health-monitor", "healthMonitor", 8083),
    DASHBOARD("dashboard", "dashboard", 8084);

    /** Maven module, image name (tokenhub/&lt;name&gt;) and app.kubernetes.io/component label. */
    final String moduleName;
    /** Key of the service's section in values.yaml. */
    final String valuesKey;
    /** The port the service listens on outside Kubernetes; the chart keeps it. */
    final int port;

    Component(String moduleName, String valuesKey, int port) {
        this.moduleName = moduleName;
        this.valuesKey = valuesKey;
        this.port = port;
    }

    /** Object name of the service's Deployment, Service, ServiceAccount and policies. */
    String objectName() {
        return Chart.RELEASE + "-" + moduleName;
    }
}
