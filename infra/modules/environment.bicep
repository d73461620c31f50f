// The Container Apps environment: console logs to Log Analytics; the services' OpenTelemetry logs and traces through
// the environment's managed agent to Application Insights (the agent sets OTEL_EXPORTER_OTLP_ENDPOINT in every app,
// which turns the services' OTLP exporter on); and traffic between apps encrypted (peer-to-peer TLS).
param location string
param tags object
@minLength(13)
param resourceToken string
param workspaceName string
param insightsName string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource environment 'Microsoft.App/managedEnvironments@2025-02-02-preview' = {
  name: 'cae-${resourceToken}'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    appInsightsConfiguration: {
      connectionString: insights.properties.ConnectionString
    }
    openTelemetryConfiguration: {
      tracesConfiguration: { destinations: ['appInsights'] }
      logsConfiguration: { destinations: ['appInsights'] }
    }
    // Every request between apps (the Web to the Api and Live, the services to RabbitMQ) is encrypted inside the
    // environment too, not only at the edge.
    peerTrafficConfiguration: {
      encryption: { enabled: true }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    zoneRedundant: false
  }
}

output id string = environment.id
output name string = environment.name
output defaultDomain string = environment.properties.defaultDomain
