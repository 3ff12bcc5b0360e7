package io.tokenhub.deploy;

/**
 * The five TokenHub services as the shared contract fixes them: image name, HTTP port, and the port of Quarkus'
 * management interface (health, metrics, OpenAPI), which each service's application.properties sets.
 */
enum Component {
    GATEWAY("gateway-service", "gateway", 8080, 9080),
    ROUTING("routing-service", "routing", 8081, 9081),
    BILLING("billing-service", "billing", 8082, 9082),
    HEALTH_MONITOR("health-monitor", "healthMonitor", 8083, 9083),
    DASHBOARD("dashboard", "dashboard", 8084, 9084);

    /** Maven module, image name (tokenhub/&lt;name&gt;) and app.kubernetes.io/component label. */
    final String moduleName;
    /** Key of the service's section in values.yaml. */
    final String valuesKey;
    /** The port the service listens on outside Kubernetes; the chart keeps it. */
    final int port;
    /** The management interface's port outside Kubernetes; the chart keeps it too. */
    final int managementPort;

    Component(String moduleName, String valuesKey, int port, int managementPort) {
        this.moduleName = moduleName;
        this.valuesKey = valuesKey;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Object name of the service's Deployment, Service, ServiceAccount and policies. */
    String objectName() {
        return Chart.RELEASE + "-" + moduleName;
    }
}
