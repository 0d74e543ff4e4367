# Patient records are deliberately not in the Django admin: administrators
# manage users and sites, but do not read clinical records (least privilege).
