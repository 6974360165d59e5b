//! The users view's table (admins only: `/admin/users` renders it, `/api/v1/users` serves it).

use serde_json::json;

use crate::AppState;
use crate::download::{Column, Table};
use crate::error::AppError;

/// The users as a table (also the API's `/api/v1/users` data).
pub async fn users_table(state: &AppState) -> Result<Table, AppError> {
    let accounts = state.accounts();
    let users = tokio::task::spawn_blocking(move || accounts.list_users())
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok(Table::new("attache-users", json!({"view": "users"}))
        .with(
            "id",
            Column::Int(users.iter().map(|u| Some(u.id)).collect()),
        )
        .with(
            "name",
            Column::Text(users.iter().map(|u| Some(u.name.clone())).collect()),
        )
        .with(
            "role",
            Column::Text(users.iter().map(|u| Some(u.role.to_string())).collect()),
        )
        .with(
            "clearance",
            Column::Text(
                users
                    .iter()
                    .map(|u| Some(u.clearance.to_string()))
                    .collect(),
            ),
        )
        .with(
            "created_at",
            Column::Text(users.iter().map(|u| Some(u.created_at.clone())).collect()),
        )
        .with(
            "disabled",
            Column::Int(users.iter().map(|u| Some(u.disabled as i64)).collect()),
        ))
}
