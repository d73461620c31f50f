// Where the services' logs and traces go: a Log Analytics workspace (the environment's console logs) and Application
// Insights on it (the OpenTelemetry logs and traces the environment's managed agent forwards).
param location string
param tags object
@minLength(13)
param resourceToken string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

output workspaceName string = workspace.name
output insightsName string = insights.name
